using Gatehouse.Server.Checks;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Clients, their keys and granted scopes, cached under the store's change version. Every
/// request reads the current version first (one primary-key read) and uses an entry only when
/// it was filled at that same version; any audited change (a revoked grant or client, in any
/// replica) moves the version, so nothing cached outlives a revocation. If the version cannot
/// be read, the request fails: closed, never stale. Nothing is kept for an unknown client id,
/// provider or environment, so a caller cannot fill memory with made-up names.
/// </summary>
internal sealed class AccessCache(IOAuthStore oauth, IGatehouseStore store, TimeProvider time)
{
    // Bounds by entries and by bytes (issue 9). Only what the store knows is kept: a client that
    // exists, the keys of a client that authenticated, a non-empty set of grants.
    private const int MaxEntries = 10_000;

    private readonly VersionedTable<string, OAuthClient> _clients = new("oauth_clients", MaxEntries, 8L << 20,
        static (id, client) => (2 * CacheSizes.Of(id)) + 160 + CacheSizes.Of(client.App) + CacheSizes.Of(client.Environment) + CacheSizes.Of(client.Description) + CacheSizes.Of(client.SecretHash),
        StringComparer.Ordinal);

    private readonly VersionedTable<string, IReadOnlyList<ClientPublicKey>> _keys = new("oauth_client_keys", MaxEntries, 16L << 20,
        static (id, keys) => CacheSizes.Of(id) + keys.Sum(k => 96 + CacheSizes.Of(k.ClientId) + CacheSizes.Of(k.Kid) + CacheSizes.Of(k.Jwk) + CacheSizes.Of(k.AddedBy)),
        StringComparer.Ordinal);

    // Each granted scope with its end: a version says nothing about the clock, so the end is
    // checked on every answer, cached or not (ADR 0023).
    private readonly VersionedTable<(string Consumer, string Provider, string Environment), IReadOnlyDictionary<string, DateTimeOffset?>> _grants = new("oauth_grants", MaxEntries, 16L << 20,
        static (key, scopes) => CacheSizes.Of(key.Consumer) + CacheSizes.Of(key.Provider) + CacheSizes.Of(key.Environment) + CacheSizes.Of([.. scopes.Keys]) + (16L * scopes.Count),
        EqualityComparer<(string, string, string)>.Default);

    /// <summary>The tables, for their size accounting (<c>/metrics</c>, tests).</summary>
    internal IEnumerable<(string Name, long Bytes, long MaxBytes)> Tables =>
        [(_clients.Name, _clients.Bytes, _clients.MaxBytes), (_keys.Name, _keys.Bytes, _keys.MaxBytes), (_grants.Name, _grants.Bytes, _grants.MaxBytes)];

    /// <summary>The change version this replica knows (ADR 0033): a revoked or rotated client is refused by it at once, and by every other replica within the second.</summary>
    public ValueTask<long> VersionAsync(CancellationToken ct) => store.ChangeVersionAsync(ChangeConsistency.Latest, ct);

    public async Task<OAuthClient?> ClientAsync(string clientId, long version, CancellationToken ct)
    {
        if (_clients.TryGet(clientId, version, out var hit))
        {
            return hit;
        }

        var client = await oauth.GetClientAsync(clientId, ct);
        if (client is not null)
        {
            _clients.Put(clientId, version, client);
        }

        return client;
    }

    public async Task<IReadOnlyList<ClientPublicKey>> KeysAsync(string clientId, long version, CancellationToken ct)
    {
        if (_keys.TryGet(clientId, version, out var hit))
        {
            return hit;
        }

        var keys = await oauth.ListClientKeysAsync(clientId, ct);
        if (keys.Count > 0)
        {
            _keys.Put(clientId, version, keys);
        }

        return keys;
    }

    /// <summary>The <c>app:scope</c> names actively granted to <paramref name="consumer"/> on <paramref name="provider"/> in one environment, now.</summary>
    public async Task<IReadOnlySet<string>> GrantedScopesAsync(string consumer, string provider, string environment, long version, CancellationToken ct) =>
        (await GrantsAsync(consumer, provider, environment, version, ct)).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The scopes actively granted now, each with when its grant ends (null: no end). A grant whose
    /// end has passed is left out here, at answer time, whether the entry is cached or fresh.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> GrantsAsync(string consumer, string provider, string environment, long version, CancellationToken ct)
    {
        var key = (consumer, provider, environment);
        if (!_grants.TryGet(key, version, out var all))
        {
            var grants = await store.ListGrantsAsync(new GrantQuery(Provider: provider, Consumer: consumer, Environment: environment, ActiveOnly: true, Limit: 10_000), ct);
            all = grants.Where(g => g.State == Core.Access.GrantState.Active).ToDictionary(g => g.Key.ScopeName, g => g.ExpiresAt, StringComparer.Ordinal);

            // An empty set is also the answer for any provider or environment name a caller makes up.
            if (all.Count > 0)
            {
                _grants.Put(key, version, all);
            }
        }

        var now = time.GetUtcNow();
        return AnyEnded(all, now) ? all.Where(g => !Core.Access.GrantLifetime.HasEnded(g.Value, now)).ToDictionary(StringComparer.Ordinal) : all;
    }

    /// <summary>Over the concrete dictionary when it is one: its enumerator is a struct, not an allocation per request.</summary>
    private static bool AnyEnded(IReadOnlyDictionary<string, DateTimeOffset?> grants, DateTimeOffset now)
    {
        if (grants is Dictionary<string, DateTimeOffset?> concrete)
        {
            foreach (var end in concrete.Values)
            {
                if (Core.Access.GrantLifetime.HasEnded(end, now))
                {
                    return true;
                }
            }

            return false;
        }

        return grants.Values.Any(end => Core.Access.GrantLifetime.HasEnded(end, now));
    }
}
