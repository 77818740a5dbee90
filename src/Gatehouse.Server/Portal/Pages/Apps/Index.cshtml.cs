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

        var granted = new Dictionary<string, int>(StringComparer.Ordinal);
        var waiting = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Env is not null)
        {
            foreach (var g in await data.Store.ListGrantsAsync(new GrantQuery(Environment: Env, ActiveOnly: true, Limit: 1_000_000), ct))
            {
                granted[g.Key.Consumer] = granted.GetValueOrDefault(g.Key.Consumer) + 1;
            }

            foreach (var r in await data.Store.ListRequestsAsync(new RequestQuery(Environment: Env, State: RequestState.Pending, Limit: 1_000_000), ct))
            {
                waiting[r.Key.Consumer] = waiting.GetValueOrDefault(r.Key.Consumer) + 1;
            }
        }

        var list = matching.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        Matching = list.Count;
        PageNumber = Math.Clamp(page, 1, PageCount);
        Rows = [.. list.Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(a => new Row(a, granted.GetValueOrDefault(a.Name), waiting.GetValueOrDefault(a.Name)))];
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
