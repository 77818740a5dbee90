using System.Text;
using Gatehouse.Server.Api;
using Gatehouse.Server.Audit;
using Gatehouse.Server.Identity;
using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Reports;

/// <summary>
/// The auditor's exports (ADR 0030): who holds what in an environment, what changed in a period,
/// each stating the audit head it was made from; and the check that a head is still in the log.
/// </summary>
internal static class ReportEndpoints
{
    public const string HeadHeader = "Gatehouse-Audit-Head";

    private static readonly string[] AccessColumns =
        ["grant", "consumer", "provider", "scope", "environment", "reason", "requested_by", "approved_by", "approved_at", "expires", "last_used", "unused", "review_status", "audit_head"];

    private static readonly string[] HistoryColumns = ["seq", "at", "actor", "action", "subject", "app", "provider", "comment", "audit_head"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/reports/access", AccessAsync).WithName("AccessReport")
            .WithSummary("Every active grant in one environment, with request, approvers, last use and the audit head it was made from (format=json|csv|markdown)");
        api.MapGet("/reports/history", HistoryAsync).WithName("HistoryReport")
            .WithSummary("The changes in a period, from the audit log, with the audit head it was read at (format=json|csv|markdown)");
        api.MapGet("/reports/verify", VerifyHeadAsync).WithName("VerifyReportHead")
            .WithSummary("Whether the audit log still holds, unchanged, every event up to the head an export states (head=SEQ:HASH)");
    }

    private static async Task<IResult> AccessAsync(string? env, string? format, HttpContext http, IGatehouseStore store, IUsageStore usage, UsageOptions options, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(env))
        {
            return ApiProblems.Result(400, ReportErrors.EnvironmentRequired, "`env` is required: the environment the report covers, such as production.");
        }

        if (ReportWriter.Parse(format) is not { } kind)
        {
            return FormatProblem(format);
        }

        if (await ReportReader.ForAsync(http.User.ToActor(), store, ct) is not { } reader)
        {
            return Forbidden();
        }

        var environments = (await store.GetOrganisationAsync(ct))?.Organisation.Environments.Select(e => e.Name).ToList() ?? [];
        if (!environments.Contains(env, StringComparer.Ordinal))
        {
            return ApiProblems.Result(404, ReportErrors.UnknownEnvironment,
                $"The organisation has no environment `{ApiProblems.Printable(env)}`; it has: {(environments.Count == 0 ? "none yet" : string.Join(", ", environments))}.");
        }

        if (await AccessReport.BuildAsync(env, reader, store, usage, options, time, ct) is not { } report)
        {
            return KeptMoving();
        }

        http.Response.Headers[HeadHeader] = report.Head.Value;
        return kind == ReportFormat.Json
            ? JsonApiResult.Ok(new { report = "access", environment = env, report.GeneratedAt, report.GeneratedBy, report.Covers, auditHead = report.Head.Value, report.Rows })
            : Text(AccessFile(report, kind));
    }

    /// <summary>The access report as a CSV or Markdown file (the API and the portal's download link).</summary>
    public static ReportFile AccessFile(AccessReport report, ReportFormat kind)
    {
        var rows = report.Rows.Select(r => (IReadOnlyList<string?>)[
            r.Grant.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Consumer, r.Provider, r.Scope, r.Environment, r.Reason, r.RequestedBy, r.ApprovedBy,
            ReportWriter.Time(r.ApprovedAt), ReportWriter.Time(r.Expires), ReportWriter.Time(r.LastUsed), r.Unused ? "yes" : "no", r.ReviewStatus, report.Head.Value]);
        var body = kind == ReportFormat.Csv
            ? ReportWriter.Csv(AccessColumns, rows)
            : ReportWriter.Markdown($"Access report: {report.Environment}", Facts(report.GeneratedAt, report.GeneratedBy, report.Covers, report.Head, report.Rows.Count, "grants"),
                [.. AccessColumns.SkipLast(1)], rows.Select(r => (IReadOnlyList<string?>)[.. r.SkipLast(1)]));
        return new ReportFile(Encoding.UTF8.GetBytes(body), ReportWriter.ContentType(kind), $"gatehouse-access-{report.Environment}-{report.Head.Seq}.{ReportWriter.Extension(kind)}");
    }

    private static async Task<IResult> HistoryAsync(string? since, string? until, string? format, HttpContext http, IGatehouseStore store, TimeProvider time, CancellationToken ct)
    {
        if (ReportWriter.Parse(format) is not { } kind)
        {
            return FormatProblem(format);
        }

        var (query, problems) = AuditQueryReader.Read(new AuditQueryText(null, null, null, since, until, null, null, null, null));
        if (string.IsNullOrWhiteSpace(since) || query?.Since is not { } from)
        {
            var why = problems.Count > 0 ? string.Join("; ", problems) : "`since` is required";
            return ApiProblems.Result(400, ReportErrors.PeriodInvalid, $"The period is not valid: {why}. Give `since` and optionally `until` as ISO 8601 dates (until is exclusive).");
        }

        var to = query.Until ?? time.GetUtcNow();
        if (to <= from)
        {
            return ApiProblems.Result(400, ReportErrors.PeriodInvalid, "The period is not valid: `until` must be after `since`.");
        }

        if (await ReportReader.ForAsync(http.User.ToActor(), store, ct) is not { } reader)
        {
            return Forbidden();
        }

        if (await HistoryReport.BuildAsync(from, to, reader, store, time, ct) is not { } report)
        {
            return ApiProblems.Result(413, ReportErrors.TooManyEvents, $"The period holds more than {HistoryReport.MaxEvents} events: ask for a shorter one.");
        }

        http.Response.Headers[HeadHeader] = report.Head.Value;
        var name = $"gatehouse-history-{report.Head.Seq}.{ReportWriter.Extension(kind)}";
        var rows = report.Rows.Select(r => (IReadOnlyList<string?>)[
            r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), ReportWriter.Time(r.At), r.Actor, r.Action, r.Subject, r.App, r.Provider, r.Comment, report.Head.Value]);
        return kind switch
        {
            ReportFormat.Csv => Text(ReportWriter.Csv(HistoryColumns, rows), kind, name),
            ReportFormat.Markdown => Text(ReportWriter.Markdown($"Changes from {ReportWriter.Time(from)} to {ReportWriter.Time(to)}", Facts(report.GeneratedAt, report.GeneratedBy, report.Covers, report.Head, report.Rows.Count, "events"),
                [.. HistoryColumns.SkipLast(1)], rows.Select(r => (IReadOnlyList<string?>)[.. r.SkipLast(1)])), kind, name),
            _ => JsonApiResult.Ok(new { report = "history", since = from, until = to, report.GeneratedAt, report.GeneratedBy, report.Covers, auditHead = report.Head.Value, report.Rows }),
        };
    }

    private static async Task<IResult> VerifyHeadAsync(string? head, IGatehouseStore store, CancellationToken ct)
    {
        if (AuditHead.Parse(head) is not { } claimed)
        {
            return ApiProblems.Result(400, ReportErrors.HeadInvalid,
                "`head` must be the audit head an export states: SEQ:HASH, the event number, a colon and 64 lower-case hex digits.");
        }

        var chain = await store.VerifyAuditAsync(ct);
        if (!chain.Valid)
        {
            return JsonApiResult.Ok(new HeadVerification(false, chain.EventCount, claimed.Value, chain.FirstBrokenSeq, chain.Problem, StoreErrors.AuditChainBroken));
        }

        string? problem = null;
        if (claimed.Seq > chain.EventCount)
        {
            problem = $"the log holds {chain.EventCount} events, fewer than the {claimed.Seq} the head names: the export is from another database, or events were removed";
        }
        else if (claimed.Seq == 0 ? claimed.Hash != Core.Access.AuditChain.GenesisHash
                 : await store.ReadAuditAsync(new AuditQuery(AfterSeq: claimed.Seq - 1, Limit: 1), ct) is not [var e] || e.Seq != claimed.Seq || e.Hash != claimed.Hash)
        {
            problem = $"event {claimed.Seq}'s chain hash in the log is not the one the export states: the export is from another database, or the log up to event {claimed.Seq} was rewritten";
        }

        return JsonApiResult.Ok(problem is null
            ? new HeadVerification(true, chain.EventCount, claimed.Value, null, null, null)
            : new HeadVerification(false, chain.EventCount, claimed.Value, null, problem, ReportErrors.HeadMismatch));
    }

    internal sealed record HeadVerification(bool Valid, long EventCount, string Head, long? FirstBrokenSeq, string? Problem, string? Code);

    private static List<(string, string)> Facts(DateTimeOffset at, string by, string covers, AuditHead head, int count, string what) =>
    [
        ("Generated", $"{ReportWriter.Time(at)} by {ReportWriter.MarkdownCell(by)}"),
        ("Covers", ReportWriter.MarkdownCell(covers)),
        ("Rows", $"{count} {what}"),
        ("Audit head", $"`{head.Value}` (prove it with `gatehouse audit verify --head {head.Value}`)"),
    ];

    private static ReportFileResult Text(string body, ReportFormat kind, string fileName) =>
        Text(new ReportFile(Encoding.UTF8.GetBytes(body), ReportWriter.ContentType(kind), fileName));

    private static ReportFileResult Text(ReportFile file) => new(file.Body, file.ContentType, file.Name);

    /// <summary>A report written out: its bytes, media type and a file name.</summary>
    internal sealed record ReportFile(byte[] Body, string ContentType, string Name);

    private static IResult FormatProblem(string? format) =>
        ApiProblems.Result(400, ReportErrors.FormatInvalid, $"`format` must be json, csv or markdown, not `{ApiProblems.Printable(format)}`.");

    private static IResult Forbidden() =>
        ApiProblems.Result(403, ReportErrors.Forbidden,
            "Reports show who holds which access: only an admin, or a person who owns apps (for the grants and events of those apps), may read them. Ask an admin.");

    private static IResult KeptMoving() =>
        ApiProblems.Result(503, ReportErrors.LogKeptMoving, "The audit log changed while the report was read, three times in a row; try again in a moment.");

    /// <summary>A download: the bytes, their type, and a file name for a browser.</summary>
    private sealed class ReportFileResult(byte[] body, string contentType, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 200;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}
