using Gatehouse.Storage.OAuth;

namespace Gatehouse.Storage.Usage;

/// <summary>The last use of one grant, named by its access (the active grant of it is the one that was used).</summary>
public readonly record struct GrantUse(string Consumer, string Provider, string Scope, string Environment, DateTimeOffset At);

/// <summary>The last use of a personal or deploy token, or of an OAuth client (with the scopes it was issued, space-separated).</summary>
public readonly record struct CredentialUse(string Id, DateTimeOffset At, string? Scopes = null);

/// <summary>What a recorder collected since its last flush; written at once by <see cref="IUsageStore.WriteAsync"/>.</summary>
public sealed record UsageBatch(IReadOnlyList<GrantUse> Grants, IReadOnlyList<CredentialUse> Tokens, IReadOnlyList<CredentialUse> Clients)
{
    public bool IsEmpty => Grants.Count == 0 && Tokens.Count == 0 && Clients.Count == 0;

    public int Count => Grants.Count + Tokens.Count + Clients.Count;
}

/// <summary>
/// Where the last use of grants and credentials is kept (ADR 0024). Not audited and not a change:
/// writing it moves no change version, so no cached decision is dropped for it.
/// </summary>
public interface IUsageStore
{
    /// <summary>
    /// Moves each last-use time forward, never back (the newer of the stored and the given time
    /// wins), so replicas flushing in any order agree. A client's scopes change with its time.
    /// </summary>
    Task WriteAsync(UsageBatch batch, CancellationToken ct = default);

    /// <summary>The last use of each of these grants that was ever used.</summary>
    Task<IReadOnlyDictionary<long, DateTimeOffset>> GrantLastUseAsync(IEnumerable<long> grantIds, CancellationToken ct = default);

    /// <summary>The last use of each of these personal or deploy tokens that was ever used.</summary>
    Task<IReadOnlyDictionary<string, CredentialLastUse>> TokenLastUseAsync(IEnumerable<string> tokenIds, CancellationToken ct = default);

    /// <summary>The last use of each of these OAuth clients that ever got a token, with the scopes it was issued.</summary>
    Task<IReadOnlyDictionary<string, CredentialLastUse>> ClientLastUseAsync(IEnumerable<string> clientIds, CancellationToken ct = default);
}
