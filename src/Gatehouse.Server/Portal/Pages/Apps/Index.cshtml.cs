using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Http.Extensions;

namespace Gatehouse.Server.Portal.Pages.Apps;

/// <summary>Every app, searchable by name and description, filtered by owning team and environment.</summary>
internal sealed class CatalogueModel(PortalData data) : PortalPageModel
{
    public const int PageSize = 100;

    public sealed record Row(AppSummary App, int Granted, int Waiting);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Matching { get; private set; }

    public int Total { get; private set; }

    public IReadOnlyList<string> Teams { get; private set; } = [];

    public IReadOnlyList<string> Environments { get; private set; } = [];

    public string? Q { get; private set; }

    public string? Team { get; private set; }

    public string? Env { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    public async Task OnGetAsync(string? q, string? team, string? env, int page, CancellationToken ct)
    {
        var org = await data.OrganisationAsync(ct);
        Teams = org?.Organisation.Teams.Select(t => t.Name).Order(StringComparer.Ordinal).ToList() ?? [];
        Environments = await data.EnvironmentsAsync(ct);
        Q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        Team = team is not null && Teams.Contains(team) ? team : null;
        Env = env is not null && Environments.Contains(env) ? env : null;

        var apps = await data.AppsAsync(ct);
        Total = apps.Count;
        IEnumerable<AppSummary> matching = apps;
        if (Q is not null)
        {
            matching = matching.Where(a => a.Name.Contains(Q, StringComparison.OrdinalIgnoreCase) || (a.Description?.Contains(Q, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        if (Team is not null)
        {
            matching = matching.Where(a => a.Owners.Any(o => o.Kind == OwnerKind.Team && o.Name == Team));
        }

        var list = matching.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        Matching = list.Count;
        PageNumber = Math.Clamp(page, 1, PageCount);
        var shown = list.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        var (granted, waiting) = Env is null ? ([], []) : await CountsAsync(Env, shown, ct);
        Rows = [.. shown.Select(a => new Row(a, granted.GetValueOrDefault(a.Name), waiting.GetValueOrDefault(a.Name)))];
    }

    /// <summary>
    /// Granted and waiting access per consumer in one environment: two queries for the whole
    /// environment in a small organisation; in a large one (or when the store returns as many
    /// rows as asked), two indexed queries per app on this page, so the counts stay exact.
    /// </summary>
    private async Task<(Dictionary<string, int> Granted, Dictionary<string, int> Waiting)> CountsAsync(string env, List<AppSummary> shown, CancellationToken ct)
    {
        const int grantBatch = 10_000, requestBatch = 5_000, smallOrganisation = 1_000;
        IReadOnlyList<Grant> grants = [];
        IEnumerable<AccessRequest> requests = [];
        var perApp = Total > smallOrganisation;
        if (!perApp)
        {
            grants = await data.Store.ListGrantsAsync(new GrantQuery(Environment: env, ActiveOnly: true, Limit: grantBatch), ct);
            var pending = await data.Store.ListRequestsAsync(new RequestQuery(Environment: env, State: RequestState.Pending, Limit: requestBatch), ct);
            requests = pending;
            perApp = grants.Count >= grantBatch || pending.Count >= requestBatch;
        }

        if (perApp)
        {
            var g = new List<Grant>();
            var r = new List<AccessRequest>();
            foreach (var app in shown)
            {
                g.AddRange(await data.Store.ListGrantsAsync(new GrantQuery(Consumer: app.Name, Environment: env, ActiveOnly: true, Limit: grantBatch), ct));
                // No state filter: the consumer's own index, pending ones picked here.
                r.AddRange((await data.Store.ListRequestsAsync(new RequestQuery(Consumer: app.Name, Environment: env, Limit: requestBatch), ct)).Where(x => x.State == RequestState.Pending));
            }

            (grants, requests) = (g, r);
        }

        return (
            grants.GroupBy(x => x.Key.Consumer).ToDictionary(x => x.Key, x => x.Count(), StringComparer.Ordinal),
            requests.GroupBy(x => x.Key.Consumer).ToDictionary(x => x.Key, x => x.Count(), StringComparer.Ordinal));
    }

    public string PageUrl(int page)
    {
        var query = new QueryBuilder();
        foreach (var (key, value) in new[] { ("q", Q), ("team", Team), ("env", Env) })
        {
            if (value is not null)
            {
                query.Add(key, value);
            }
        }

        query.Add("page", page.ToString(CultureInfo.InvariantCulture));
        return "/apps" + query.ToQueryString();
    }
}
