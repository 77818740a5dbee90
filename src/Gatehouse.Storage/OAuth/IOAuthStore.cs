namespace Gatehouse.Storage.OAuth;

/// <summary>
/// Persistence of the OAuth side of Gatehouse: clients and their hashed secrets, registered
/// public keys, used assertion ids (shared by every replica, so a replay is refused wherever it
/// lands) and the encrypted signing keys. Authorization is decided by the caller; grants are
/// read from <see cref="IGatehouseStore"/> on every token, never cached here. Changes to clients
/// and their keys append audit events to the store's chain in the same transaction.
/// </summary>
public interface IOAuthStore
{
    /// <summary>Creates a client (and its first public key, if given), with a <c>client.created</c> audit event.</summary>
    Task CreateClientAsync(OAuthClient client, ClientPublicKey? firstKey, string? correlationId, CancellationToken ct = default);

    Task<OAuthClient?> GetClientAsync(string clientId, CancellationToken ct = default);

    Task<IReadOnlyList<OAuthClient>> ListClientsAsync(string? app, CancellationToken ct = default);

    /// <summary>Marks an active client revoked; false when it is unknown or already revoked.</summary>
    Task<bool> RevokeClientAsync(string clientId, string revokedBy, string? correlationId, CancellationToken ct = default);

    /// <summary>
    /// Gives an active secret client a new secret (its hash). With <paramref name="previousValidUntil"/>
    /// the replaced secret stays valid until then (rotation with overlap); without, it stops at once.
    /// Appends <c>client.secret_rotated</c>. False when the client is unknown, revoked or uses keys.
    /// </summary>
    Task<bool> RotateClientSecretAsync(string clientId, string newSecretHash, DateTimeOffset? previousValidUntil, string rotatedBy, string? correlationId, CancellationToken ct = default);

    /// <summary>Registers a public key; false when the client already has a key with this kid.</summary>
    Task<bool> AddClientKeyAsync(ClientPublicKey key, string? correlationId, CancellationToken ct = default);

    Task<IReadOnlyList<ClientPublicKey>> ListClientKeysAsync(string clientId, CancellationToken ct = default);

    Task<bool> RemoveClientKeyAsync(string clientId, string kid, string removedBy, string? correlationId, CancellationToken ct = default);

    /// <summary>
    /// Records an assertion id until it expires; false when the same client already used it
    /// (a replay). Forgets ids whose assertions have expired.
    /// </summary>
    Task<bool> TryRecordAssertionAsync(string clientId, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Every signing key, in activation order (one per rotation period: a handful a year).</summary>
    Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default);

    /// <summary>Stores a new signing key; false when another replica stored the key of that (algorithm, slot) first.</summary>
    Task<bool> AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default);
}
