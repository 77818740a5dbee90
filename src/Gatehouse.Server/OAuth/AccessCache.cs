using System.Collections.Concurrent;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Clients, their keys and granted scopes, cached under the store's change version. Every
/// request reads the current version first (one primary-key read) and uses an entry only when
/// it was filled at that same version; any audited change (a revoked grant or client, in any
/// replica) moves the version, so nothing cached outlives a revocation. If the version cannot
/// be read, the request fails: closed, never stale.
/// </summary>
internal sealed class AccessCache(IOAuthStore oauth, IGatehouseStore store)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (long Version, OAuthClient Client)> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, IReadOnlyList<ClientPublicKey> Keys)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Consumer, string Provider, string Environment), (long Version, IReadOnlySet<string> Scopes)> _grants = new();

    public Task<long> VersionAsync(CancellationToken ct) => oauth.ChangeVersionAsync(ct);

    public async Task<OAuthClient?> ClientAsync(string clientId, long version, CancellationToken ct)
    {
        if (_clients.TryGetValue(clientId, out var hit) && hit.Version == version)
        {
            return hit.Client;
        }

        var client = await oauth.GetClientAsync(clientId, ct);
        if (client is not null)
        {
            Put(_clients, clientId, (version, client));
        }

        return client;
    }

    public async Task<IReadOnlyList<ClientPublicKey>> KeysAsync(string clientId, long version, CancellationToken ct)
    {
        if (_keys.TryGetValue(clientId, out var hit) && hit.Version == version)
        {
            return hit.Keys;
        }

        var keys = await oauth.ListClientKeysAsync(clientId, ct);
        Put(_keys, clientId, (version, keys));
        return keys;
    }

    /// <summary>The <c>app:scope</c> names actively granted to <paramref name="consumer"/> on <paramref name="provider"/> in one environment.</summary>
    public async Task<IReadOnlySet<string>> GrantedScopesAsync(string consumer, string provider, string environment, long version, CancellationToken ct)
    {
        var key = (consumer, provider, environment);
        if (_grants.TryGetValue(key, out var hit) && hit.Version == version)
        {
            return hit.Scopes;
        }

        var grants = await store.ListGrantsAsync(new GrantQuery(Provider: provider, Consumer: consumer, Environment: environment, ActiveOnly: true, Limit: 10_000), ct);
        var scopes = grants.Where(g => g.State == Core.Access.GrantState.Active).Select(g => g.Key.ScopeName).ToHashSet(StringComparer.Ordinal);
        Put(_grants, key, (version, scopes));
        return scopes;
    }

    private static void Put<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value)
        where TKey : notnull
    {
        if (cache.Count >= MaxEntries)
        {
            cache.Clear(); // crude but bounded: a flood of ids cannot grow memory
        }

        cache[key] = value;
    }
}
