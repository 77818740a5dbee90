using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal;

/// <summary>
/// Reads the pages share, each at most once per request: the organisation, the app list, the
/// owners of a providing app. Everything goes through <see cref="IGatehouseStore"/>, as the API does.
/// </summary>
internal sealed class PortalData(IGatehouseStore store, TimeProvider time)
{
    private OrganisationSnapshot? _organisation;
    private IReadOnlyList<AppSummary>? _apps;
    private readonly Dictionary<string, IReadOnlyList<string>> _owners = new(StringComparer.Ordinal);

    public IGatehouseStore Store => store;

    /// <summary>The time of the page: what ends is judged against it, as every answer is (ADR 0023).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<OrganisationSnapshot?> OrganisationAsync(CancellationToken ct) =>
        _organisation ??= await store.GetOrganisationAsync(ct);

    public async Task<IReadOnlyList<string>> EnvironmentsAsync(CancellationToken ct) =>
        (await OrganisationAsync(ct))?.Organisation.Environments.Select(e => e.Name).ToList() ?? [];

    public async Task<IReadOnlyList<AppSummary>> AppsAsync(CancellationToken ct) =>
        _apps ??= await store.ListAppsAsync(ct);

    /// <summary>Apps whose manifest names the viewer, directly or through one of their teams.</summary>
    public async Task<IReadOnlyList<AppSummary>> OwnedAppsAsync(PortalViewer viewer, CancellationToken ct)
    {
        var teams = viewer.User.Teams.ToHashSet(StringComparer.Ordinal);
        return (await AppsAsync(ct)).Where(a => a.Owners.Any(o =>
            o.Kind == OwnerKind.User ? o.Name == viewer.Name : teams.Contains(o.Name))).ToList();
    }

    /// <summary>The owner users of a providing app, as the store resolves them (teams expanded).</summary>
    public async Task<IReadOnlyList<string>> OwnersOfAsync(string app, CancellationToken ct)
    {
        if (!_owners.TryGetValue(app, out var owners))
        {
            owners = (await store.GetAppAsync(app, ct))?.OwnerUsers ?? [];
            _owners[app] = owners;
        }

        return owners;
    }

    /// <summary>Whether the viewer may decide a request, by the same rule the store enforces.</summary>
    public async Task<DecisionAdvice> AdviseAsync(PortalViewer viewer, AccessRequest request, CancellationToken ct)
    {
        var advice = DecisionAdvice.For(viewer, request, await OwnersOfAsync(request.Key.Provider, ct));
        if (request.State != RequestState.Pending
            || (await OrganisationAsync(ct))?.Organisation.Environments.FirstOrDefault(e => e.Name == request.Key.Environment) is not { } environment)
        {
            return advice;
        }

        // Environment policies (ADR 0031), judged as the store judges them when a grant would be made.
        var reasons = new List<string>(2);
        var promoted = true;
        if (environment.Promotion is { } from)
        {
            var k = request.Key;
            var earlier = await store.ListGrantsAsync(new GrantQuery(k.Provider, k.Scope, k.Consumer, from), ct);
            promoted = earlier.Any(g => g.State == GrantState.Active);
            if (!promoted)
            {
                reasons.Add($"{k.Environment} requires promotion from {from}: {k.Consumer} must hold this access in {from} before it can be approved here.");
            }
        }

        var freeze = environment.FrozenAt(Now);
        if (freeze is not null)
        {
            reasons.Add($"{request.Key.Environment} is {freeze}: no new grants except an admin's emergency approval, which is flagged.");
        }

        return reasons.Count == 0 ? advice : advice with
        {
            Policy = string.Join(" ", reasons),
            MayDeclareEmergency = freeze is not null && promoted && viewer.IsAdmin && advice.MayApprove,
        };
    }
}
