using Gatehouse.Core.Access;
using Gatehouse.Core.Routes;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.Gateway;

/// <summary>
/// Everything forward-auth needs, read from the store at one change version: the compiled routes
/// of every app, the organisation's environments, the OAuth clients and the active grants. It
/// is immutable; a newer version builds a new one.
/// </summary>
internal sealed class GatewaySnapshot
{
    private readonly Dictionary<string, RouteTable> _routes;
    private readonly Dictionary<string, RouteTable>.AlternateLookup<ReadOnlySpan<char>> _routesBySpan;
    private readonly HashSet<string> _environments;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _environmentsBySpan;
    private readonly Dictionary<string, OAuthClient> _clients;
    private readonly Dictionary<(string Consumer, string Provider, string Environment), HashSet<string>> _grants;

    private GatewaySnapshot(long version, DateTimeOffset builtAt, Dictionary<string, RouteTable> routes, HashSet<string> environments,
        Dictionary<string, OAuthClient> clients, Dictionary<(string, string, string), HashSet<string>> grants)
    {
        Version = version;
        BuiltAt = builtAt;
        _routes = routes;
        _routesBySpan = routes.GetAlternateLookup<ReadOnlySpan<char>>();
        _environments = environments;
        _environmentsBySpan = environments.GetAlternateLookup<ReadOnlySpan<char>>();
        _clients = clients;
        _grants = grants;
    }

    /// <summary>The store's change version the data was read at (or after: a later read is rebuilt at the next check).</summary>
    public long Version { get; }

    public DateTimeOffset BuiltAt { get; }

    public int AppCount => _routes.Count;

    /// <summary>The environment's name as the organisation spells it, without allocating; null when it defines no such environment.</summary>
    public string? Environment(ReadOnlySpan<char> name) => _environmentsBySpan.TryGetValue(name, out var actual) ? actual : null;

    /// <summary>A pushed app's name and routes (an empty table when it declares none); false for an app nobody pushed.</summary>
    public bool TryGetApp(ReadOnlySpan<char> name, out string app, out RouteTable routes) =>
        _routesBySpan.TryGetValue(name, out app!, out routes!);

    public OAuthClient? Client(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>Whether <paramref name="consumer"/> holds an active grant of <paramref name="scope"/> (<c>app:scope</c>) on the provider.</summary>
    public bool IsGranted(string consumer, string provider, string environment, string scope) =>
        _grants.TryGetValue((consumer, provider, environment), out var scopes) && scopes.Contains(scope);

    public static async Task<GatewaySnapshot> BuildAsync(IGatehouseStore store, IOAuthStore oauth, long version, DateTimeOffset now, CancellationToken ct)
    {
        var routes = new Dictionary<string, RouteTable>(StringComparer.Ordinal);
        var grants = new Dictionary<(string, string, string), HashSet<string>>();
        foreach (var summary in await store.ListAppsAsync(ct))
        {
            if (await store.GetAppAsync(summary.Name, ct) is not { } app)
            {
                continue;
            }

            var scoped = new List<ScopedRoute>();
            foreach (var scope in app.Manifest.Scopes)
            {
                foreach (var text in scope.Routes)
                {
                    // Stored routes were validated on push; one that no longer parses protects nothing.
                    if (RouteTemplate.Parse(text, out _) is { } template)
                    {
                        scoped.Add(new ScopedRoute(template, $"{app.Manifest.App}:{scope.Name}"));
                    }
                }
            }

            routes[summary.Name] = new RouteTable(scoped);

            // Per provider, so no one query has to hold every grant of the organisation.
            foreach (var grant in await store.ListGrantsAsync(new GrantQuery(Provider: summary.Name, ActiveOnly: true, Limit: 10_000), ct))
            {
                if (grant.State != GrantState.Active)
                {
                    continue;
                }

                var key = (grant.Key.Consumer, grant.Key.Provider, grant.Key.Environment);
                if (!grants.TryGetValue(key, out var scopes))
                {
                    grants[key] = scopes = new HashSet<string>(StringComparer.Ordinal);
                }

                scopes.Add(grant.Key.ScopeName);
            }
        }

        var organisation = await store.GetOrganisationAsync(ct);
        var environments = organisation?.Organisation.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var clients = (await oauth.ListClientsAsync(null, ct)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return new GatewaySnapshot(version, now, routes, environments, clients, grants);
    }
}
