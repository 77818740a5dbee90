namespace Gatehouse.Storage.OAuth;

/// <summary>How a client proves who it is at the token endpoint.</summary>
public enum ClientAuthMethod
{
    /// <summary>A shared secret, sent with HTTP Basic (<c>client_secret_basic</c>) or in the body (<c>client_secret_post</c>).</summary>
    ClientSecret,

    /// <summary>A JWT signed with one of the client's registered public keys (RFC 7523, <c>private_key_jwt</c>).</summary>
    PrivateKeyJwt,
}

/// <summary>
/// An OAuth client: the credentials one app uses in one environment. Only the SHA-256 of the
/// secret is kept (<see cref="SecretHash"/>, hex), never the secret.
/// </summary>
public sealed record OAuthClient(
    string Id,
    string App,
    string Environment,
    string? Description,
    ClientAuthMethod AuthMethod,
    string? SecretHash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null,
    string? PreviousSecretHash = null,
    DateTimeOffset? PreviousSecretExpiresAt = null)
{
    public bool IsActive => RevokedAt is null;

    /// <summary>Whether the secret replaced by the last rotation is still accepted at <paramref name="now"/> (ADR 0018).</summary>
    public bool PreviousSecretValidAt(DateTimeOffset now) => PreviousSecretHash is not null && PreviousSecretExpiresAt is { } until && now < until;
}

/// <summary>When a credential was last used; for a client also the scopes it was last issued (space-separated).</summary>
public sealed record CredentialLastUse(DateTimeOffset At, string? Scopes = null);

/// <summary>A public key (JWK JSON, no private members) registered for <c>private_key_jwt</c>.</summary>
public sealed record ClientPublicKey(string ClientId, string Kid, string Jwk, DateTimeOffset AddedAt, string AddedBy);

/// <summary>
/// A token signing key. The private key is stored encrypted (<see cref="ProtectedPrivateKey"/>,
/// AES-GCM under the key-encryption key named by <see cref="KekId"/>). A key is published from
/// <see cref="CreatedAt"/>, signs from <see cref="ActivatesAt"/> until a newer key activates,
/// and stays published until the tokens it signed have expired (the key ring decides).
/// <see cref="Slot"/> numbers the rotation period it belongs to; (algorithm, slot) is unique, so
/// replicas that rotate at the same moment agree on one key.
/// </summary>
public sealed record SigningKeyRecord(
    string Kid,
    string Algorithm,
    long Slot,
    string PublicJwk,
    string ProtectedPrivateKey,
    string KekId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt);
