using Gatehouse.Core.Access;
using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Reports;

/// <summary>One grant as the auditor reads it (ADR 0030).</summary>
internal sealed record AccessReportRow(
    long Grant, string Consumer, string Provider, string Scope, string Environment, string Reason,
    string RequestedBy, string ApprovedBy, DateTimeOffset ApprovedAt, DateTimeOffset? Expires,
    DateTimeOffset? LastUsed, bool Unused, string ReviewStatus);

/// <summary>
/// Every active grant in one environment, with the request behind it, made from one audit head:
/// the head is read before and after the rows, and the rows are read again when a change came in
/// between, so the report is the state of the log at exactly that head.
/// </summary>
internal sealed record AccessReport(string Environment, DateTimeOffset GeneratedAt, string GeneratedBy, string Covers, AuditHead Head, IReadOnlyList<AccessReportRow> Rows)
{
    /// <summary>A grant no access review has held yet.</summary>
    public const string NoReview = "none";

    public static async Task<AccessReport?> BuildAsync(string environment, ReportReader reader, IGatehouseStore store, IUsageStore usage, UsageOptions options, TimeProvider time, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var head = await AuditHead.ReadAsync(store, ct);
            var rows = await RowsAsync(environment, reader, store, usage, options, time.GetUtcNow(), ct);
            if (await store.ChangeVersionAsync(ct) == head.Seq)
            {
                return new AccessReport(environment, time.GetUtcNow(), reader.Name, reader.Coverage, head, rows);
            }
        }

        return null;
    }

    private static async Task<List<AccessReportRow>> RowsAsync(string environment, ReportReader reader, IGatehouseStore store, IUsageStore usage, UsageOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var grants = (await store.ListGrantsAsync(new GrantQuery(Environment: environment, ActiveOnly: true, Limit: 10_000), ct))
            .Where(g => reader.MaySee(g.Key.Consumer, g.Key.Provider))
            .OrderBy(g => g.Key.Consumer, StringComparer.Ordinal).ThenBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Scope, StringComparer.Ordinal)
            .ToList();
        var requests = (await store.ListRequestsAsync(new RequestQuery(Environment: environment, Limit: 5000), ct)).ToDictionary(r => r.Id);
        foreach (var missing in grants.Select(g => g.RequestId).Where(id => !requests.ContainsKey(id)).Distinct().ToList())
        {
            if (await store.GetRequestAsync(missing, ct) is { } request)
            {
                requests[missing] = request;
            }
        }

        var lastUse = await usage.GrantLastUseAsync(grants.Select(g => g.Id), ct);
        var reviewed = ReviewStatuses(await store.ListReviewsAsync(openOnly: false, ct));
        return [.. grants.Select(g =>
        {
            var request = requests.GetValueOrDefault(g.RequestId);
            var used = lastUse.TryGetValue(g.Id, out var at) ? at : (DateTimeOffset?)null;
            return new AccessReportRow(g.Id, g.Key.Consumer, g.Key.Provider, g.Key.Scope, g.Key.Environment,
                request?.Reason ?? "", RequestedBy(request), ApprovedBy(g, request), g.GrantedAt, g.ExpiresAt,
                used, options.IsUnused(g.GrantedAt, used, now), reviewed.GetValueOrDefault(g.Id, NoReview));
        })];
    }

    /// <summary>
    /// Per grant, its answer in the newest review that held it (ADR 0032): "kept in review 3 by bob",
    /// "waiting in review 3", "unconfirmed in review 3" (the deadline passed with a report policy).
    /// </summary>
    internal static Dictionary<long, string> ReviewStatuses(IReadOnlyList<AccessReview> reviews)
    {
        var statuses = new Dictionary<long, string>();
        foreach (var review in reviews.OrderByDescending(r => r.Id))
        {
            foreach (var item in review.Items)
            {
                statuses.TryAdd(item.GrantId, item switch
                {
                    { Decision: ReviewDecision.Keep } => $"kept in review {review.Id} by {item.DecidedBy}",
                    { Decision: ReviewDecision.Revoke } => $"revoked in review {review.Id} by {item.DecidedBy}",
                    { Outcome: { } outcome } => $"{outcome} in review {review.Id}",
                    _ => $"waiting in review {review.Id}",
                });
            }
        }

        return statuses;
    }

    /// <summary>The people behind the request (who pushed it, who made the token that did), else who filed it.</summary>
    private static string RequestedBy(AccessRequest? request) =>
        request is null ? "" : request.People.Count > 0 ? string.Join("; ", request.People.Select(p => p.Name).Distinct(StringComparer.Ordinal)) : request.RequestedBy;

    /// <summary>The owners whose votes approved it; for an access approved by policy (auto), who the grant names.</summary>
    private static string ApprovedBy(Grant grant, AccessRequest? request)
    {
        var approvers = request?.Votes.Where(v => v.Approve).Select(v => v.Approver).Distinct(StringComparer.Ordinal).ToList() ?? [];
        return approvers.Count > 0 ? string.Join("; ", approvers) : grant.GrantedBy;
    }
}
