using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Http.Extensions;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>The audit log, filtered by app, actor, action and time, with the result of verifying its hash chain.</summary>
internal sealed class AuditModel(PortalData data, AuditVerificationCache verifications) : PortalPageModel
{
    public const int PageSize = 100;

    public static readonly IReadOnlyList<string> Actions =
    [
        "org.pushed", "app.created", "app.updated", "scope.added", "scope.changed", "scope.deprecated", "scope.removed",
        "request.filed", "request.voted", "request.approved", "request.denied", "request.superseded",
        "grant.created", "grant.revoked", "token.created", "token.revoked",
    ];

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public AuditVerification Verification { get; private set; } = new(true, 0, null, null);

    public DateTimeOffset VerifiedAt { get; private set; }

    public string? App { get; private set; }

    public string? ActorFilter { get; private set; }

    public string? ActionFilter { get; private set; }

    public DateOnly? Since { get; private set; }

    public DateOnly? Until { get; private set; }

    public long? After { get; private set; }

    public bool HasMore { get; private set; }

    public async Task OnGetAsync(string? app, string? actor, string? action, DateOnly? since, DateOnly? until, long? after, bool verify, CancellationToken ct)
    {
        App = Clean(app);
        ActorFilter = Clean(actor);
        ActionFilter = action is not null && Actions.Contains(action) ? action : null;
        Since = since;
        Until = until;
        (Verification, VerifiedAt) = await verifications.GetAsync(data.Store, verify, ct);
        Filtered = App is not null || ActorFilter is not null || ActionFilter is not null || since is not null || until is not null;
        if (after is null && !Filtered)
        {
            await LatestAsync(ct);
            return;
        }

        After = after;
        var query = new AuditQuery(
            App, ActorFilter, ActionFilter,
            since is { } s ? new DateTimeOffset(s.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            until is { } u ? new DateTimeOffset(u.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            after,
            PageSize + 1);
        var events = await data.Store.ReadAuditAsync(query, ct);
        HasMore = events.Count > PageSize;
        Events = [.. events.Take(PageSize)];
    }

    /// <summary>
    /// The latest page: seq numbers have no gaps, so the events after the last verified count,
    /// less a page, are the newest (the count may be up to a minute old; the read is not).
    /// </summary>
    private async Task LatestAsync(CancellationToken ct)
    {
        var events = await data.Store.ReadAuditAsync(new AuditQuery(AfterSeq: Math.Max(0, Verification.EventCount - PageSize), Limit: 10_000), ct);
        Events = [.. events.TakeLast(PageSize)];
        After = Events.Count > 0 ? Events[0].Seq - 1 : 0;
    }

    public bool Filtered { get; private set; }

    public bool HasEarlier => !Filtered && Events.Count > 0 && Events[0].Seq > 1;

    public string EarlierUrl() => PageUrl(Math.Max(0, Events[0].Seq - 1 - PageSize));

    public string LaterUrl() => PageUrl(Events[^1].Seq);

    private string PageUrl(long after)
    {
        var query = new QueryBuilder();
        foreach (var (key, value) in new[]
        {
            ("app", App), ("actor", ActorFilter), ("action", ActionFilter),
            ("since", Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("until", Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        })
        {
            if (value is not null)
            {
                query.Add(key, value);
            }
        }

        query.Add("after", after.ToString(CultureInfo.InvariantCulture));
        return "/audit" + query.ToQueryString();
    }

    public static string? SubjectUrl(AuditEvent e) =>
        e.Subject.StartsWith("request/", StringComparison.Ordinal) && long.TryParse(e.Subject.AsSpan(8), CultureInfo.InvariantCulture, out var id) ? PortalHtml.RequestUrl(id)
        : e.Subject.StartsWith("app/", StringComparison.Ordinal) ? PortalHtml.AppUrl(e.Subject[4..])
        : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
