using Gatehouse.Server.Checks;
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

    private readonly VersionedTable<string, OAuthClient> _clients = new(MaxEntries, StringComparer.Ordinal);
    private readonly VersionedTable<string, IReadOnlyList<ClientPublicKey>> _keys = new(MaxEntries, StringComparer.Ordinal);
    private readonly VersionedTable<(string Consumer, string Provider, string Environment), IReadOnlySet<string>> _grants =
        new(MaxEntries, EqualityComparer<(string, string, string)>.Default);

    public Task<long> VersionAsync(CancellationToken ct) => store.ChangeVersionAsync(ct);

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
        _keys.Put(clientId, version, keys);
        return keys;
    }

    /// <summary>The <c>app:scope</c> names actively granted to <paramref name="consumer"/> on <paramref name="provider"/> in one environment.</summary>
    public async Task<IReadOnlySet<string>> GrantedScopesAsync(string consumer, string provider, string environment, long version, CancellationToken ct)
    {
        var key = (consumer, provider, environment);
        if (_grants.TryGet(key, version, out var hit))
        {
            return hit;
        }

        var grants = await store.ListGrantsAsync(new GrantQuery(Provider: provider, Consumer: consumer, Environment: environment, ActiveOnly: true, Limit: 10_000), ct);
        var scopes = grants.Where(g => g.State == Core.Access.GrantState.Active).Select(g => g.Key.ScopeName).ToHashSet(StringComparer.Ordinal);
        _grants.Put(key, version, scopes);
        return scopes;
    }
}
