using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Apps;

/// <summary>One app: owners, its scopes and who holds each per environment, its needs and their state, its manifest.</summary>
internal sealed class AppModel(PortalData data) : PortalPageModel
{
    public AppDetails App { get; private set; } = null!;

    public IReadOnlyList<string> Environments { get; private set; } = [];

    /// <summary>Active consumers of each scope per environment, keyed by (scope, environment).</summary>
    public IReadOnlyDictionary<(string Scope, string Env), IReadOnlyList<string>> Holders { get; private set; } = new Dictionary<(string, string), IReadOnlyList<string>>();

    /// <summary>Pending requests for each scope per environment.</summary>
    public IReadOnlyDictionary<(string Scope, string Env), int> PendingFor { get; private set; } = new Dictionary<(string, string), int>();

    /// <summary>The state of each needed access, keyed by (provider, scope, environment).</summary>
    public IReadOnlyDictionary<(string Provider, string Scope, string Env), AccessCheck> NeedStates { get; private set; } = new Dictionary<(string, string, string), AccessCheck>();

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        if (await data.Store.GetAppAsync(app, ct) is not { } details)
        {
            return NotFound();
        }

        App = details;
        Environments = await data.EnvironmentsAsync(ct);
        var grants = await data.Store.ListGrantsAsync(new GrantQuery(Provider: app, ActiveOnly: true, Limit: 10_000), ct);
        Holders = grants.GroupBy(g => (g.Key.Scope, g.Key.Environment))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(x => x.Key.Consumer).Distinct().Order(StringComparer.Ordinal)]);
        // No state filter: the provider's own index, pending ones picked here.
        var pending = (await data.Store.ListRequestsAsync(new RequestQuery(Provider: app, Limit: 5_000), ct)).Where(r => r.State == RequestState.Pending);
        PendingFor = pending.GroupBy(r => (r.Key.Scope, r.Key.Environment)).ToDictionary(g => g.Key, g => g.Count());

        var keys = details.Manifest.Needs
            .SelectMany(n => n.EnvironmentsIn(Environments).SelectMany(env => n.Scopes.Select(s => new AccessKey(app, n.App, s, env))))
            .ToList();
        var checks = keys.Count == 0 ? [] : await data.Store.CheckAsync(keys, ct);
        NeedStates = checks.ToDictionary(c => (c.Key.Provider, c.Key.Scope, c.Key.Environment));
        return Page();
    }
}
