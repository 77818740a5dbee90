using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>The viewer's day: what waits for their decision, what their apps still wait for, what was decided lately.</summary>
internal sealed class IndexModel(PortalData data) : PortalPageModel
{
    public IReadOnlyList<RequestCardModel> ToDecide { get; private set; } = [];

    public int ToDecideTotal { get; private set; }

    public IReadOnlyList<AppSummary> MyApps { get; private set; } = [];

    /// <summary>Needs of the viewer's apps that are not granted, in every environment.</summary>
    public IReadOnlyList<AccessCheck> Waiting { get; private set; } = [];

    public IReadOnlyList<AccessRequest> RecentDecisions { get; private set; } = [];

    /// <summary>Live grants that end within the renewal window, to or from the viewer's apps (every one for an admin), soonest first.</summary>
    public IReadOnlyList<Grant> EndingSoon { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var pending = await data.Store.ListRequestsAsync(new RequestQuery(State: RequestState.Pending, ApproverUser: Viewer.Name, Limit: 5000), ct);
        ToDecideTotal = pending.Count;
        var cards = new List<RequestCardModel>();
        foreach (var r in pending.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Take(5))
        {
            cards.Add(new RequestCardModel(r, await data.AdviseAsync(Viewer, r, ct), "/", ShowForm: false));
        }

        ToDecide = cards;
        MyApps = await data.OwnedAppsAsync(Viewer, ct);
        Waiting = await NeedsNotGrantedAsync(ct);
        RecentDecisions = await RecentDecisionsAsync(ct);
        EndingSoon = await EndingSoonAsync(ct);
    }

    private async Task<IReadOnlyList<Grant>> EndingSoonAsync(CancellationToken ct)
    {
        var ending = await data.Store.ListGrantsAsync(new GrantQuery(EndingBefore: data.Now.Add(GrantLifetime.RenewalWindow), Limit: 5000), ct);
        var mine = MyApps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return [.. ending.Where(g => Viewer.IsAdmin || mine.Contains(g.Key.Consumer) || mine.Contains(g.Key.Provider)).OrderBy(g => g.ExpiresAt).ThenBy(g => g.Id).Take(200)];
    }

    private async Task<IReadOnlyList<AccessCheck>> NeedsNotGrantedAsync(CancellationToken ct)
    {
        var environments = await data.EnvironmentsAsync(ct);
        var keys = new List<AccessKey>();
        foreach (var app in MyApps)
        {
            if (await data.Store.GetAppAsync(app.Name, ct) is not { } details)
            {
                continue;
            }

            foreach (var need in details.Manifest.Needs)
            {
                foreach (var env in need.EnvironmentsIn(environments))
                {
                    keys.AddRange(need.Scopes.Select(s => new AccessKey(app.Name, need.App, s, env)));
                }
            }
        }

        var checks = keys.Count == 0 ? [] : await data.Store.CheckAsync(keys, ct);
        return [.. checks.Where(c => c.State != AccessState.Granted).OrderBy(c => c.Key.Consumer).ThenBy(c => c.Key.Environment).ThenBy(c => c.Key.ScopeName)];
    }

    /// <summary>The latest decided requests; ids grow with time and decisions follow requests, so the newest ids hold them.</summary>
    private async Task<IReadOnlyList<AccessRequest>> RecentDecisionsAsync(CancellationToken ct)
    {
        var approved = await data.Store.ListRequestsAsync(new RequestQuery(State: RequestState.Approved, Limit: 40), ct);
        var denied = await data.Store.ListRequestsAsync(new RequestQuery(State: RequestState.Denied, Limit: 40), ct);
        return [.. approved.Concat(denied).OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id).Take(8)];
    }
}
