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
    /// <summary>Per consumer, provider and environment: each granted scope and when its grant ends (UTC ticks; <see cref="long.MaxValue"/> for never).</summary>
    private readonly Dictionary<(string Consumer, string Provider, string Environment), Dictionary<string, long>> _grants;

    private GatewaySnapshot(long version, DateTimeOffset builtAt, Dictionary<string, RouteTable> routes, HashSet<string> environments,
        Dictionary<string, OAuthClient> clients, Dictionary<(string, string, string), Dictionary<string, long>> grants)
    {
        Version = version;
        BuiltAt = builtAt;
        _routes = routes;
        _routesBySpan = routes.GetAlternateLookup<ReadOnlySpan<char>>();
        _environments = environments;
        _environmentsBySpan = environments.GetAlternateLookup<ReadOnlySpan<char>>();
        _clients = clients;
        _grants = grants;
        var earliest = long.MaxValue;
        foreach (var scopes in grants.Values)
        {
            foreach (var end in scopes.Values)
            {
                earliest = Math.Min(earliest, end);
            }
        }

        FirstGrantEnd = earliest == long.MaxValue ? null : new DateTimeOffset(earliest, TimeSpan.Zero);
    }

    /// <summary>
    /// When the first grant in this snapshot ends: a grant's end changes no change version (ADR
    /// 0023), so the snapshot is rebuilt from then on, and each answer compares the end anyway.
    /// </summary>
    public DateTimeOffset? FirstGrantEnd { get; }

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

    /// <summary>
    /// Whether <paramref name="consumer"/> holds a grant of <paramref name="scope"/> (<c>app:scope</c>)
    /// on the provider that is active at <paramref name="now"/>: a grant past its end is expired
    /// here exactly as in the store and the caches (ADR 0023).
    /// </summary>
    public bool IsGranted(string consumer, string provider, string environment, string scope, DateTimeOffset now) =>
        _grants.TryGetValue((consumer, provider, environment), out var scopes) && scopes.TryGetValue(scope, out var end) && now.UtcTicks < end;

    public static async Task<GatewaySnapshot> BuildAsync(IGatehouseStore store, IOAuthStore oauth, long version, DateTimeOffset now, CancellationToken ct)
    {
        var routes = new Dictionary<string, RouteTable>(StringComparer.Ordinal);
        var grants = new Dictionary<(string, string, string), Dictionary<string, long>>();
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
                    grants[key] = scopes = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                scopes[grant.Key.ScopeName] = grant.ExpiresAt?.UtcTicks ?? long.MaxValue;
            }
        }

        var organisation = await store.GetOrganisationAsync(ct);
        var environments = organisation?.Organisation.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var clients = (await oauth.ListClientsAsync(null, ct)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return new GatewaySnapshot(version, now, routes, environments, clients, grants);
    }
}
