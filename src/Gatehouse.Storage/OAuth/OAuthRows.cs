namespace Gatehouse.Storage.OAuth;

// Dapper materialises these; columns are aliased to the property names in each SELECT.
#pragma warning disable CA1812 // instantiated by Dapper

internal sealed class ClientRow
{
    public const string Select = """
        SELECT id AS Id, app AS App, environment AS Environment, description AS Description, auth_method AS AuthMethod,
               secret_hash AS SecretHash, created_at AS CreatedAt, created_by AS CreatedBy, revoked_at AS RevokedAt, revoked_by AS RevokedBy
        FROM oauth_clients
        """;

    public string Id { get; set; } = "";
    public string App { get; set; } = "";
    public string Environment { get; set; } = "";
    public string? Description { get; set; }
    public string AuthMethod { get; set; } = "";
    public string? SecretHash { get; set; }
    public long CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public long? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public OAuthClient ToRecord() => new(
        Id, App, Environment, Description, Enum.Parse<ClientAuthMethod>(AuthMethod), SecretHash,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy,
        RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null, RevokedBy);
}

internal sealed class KeyRow
{
    public string ClientId { get; set; } = "";
    public string Kid { get; set; } = "";
    public string Jwk { get; set; } = "";
    public long AddedAt { get; set; }
    public string AddedBy { get; set; } = "";
}

internal sealed class SigningKeyRow
{
    public const string Select = """
        SELECT kid AS Kid, algorithm AS Algorithm, slot AS Slot, public_jwk AS PublicJwk, protected_private_key AS ProtectedPrivateKey,
               kek_id AS KekId, created_at AS CreatedAt, activates_at AS ActivatesAt
        FROM oauth_signing_keys
        """;

    public string Kid { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public long Slot { get; set; }
    public string PublicJwk { get; set; } = "";
    public string ProtectedPrivateKey { get; set; } = "";
    public string KekId { get; set; } = "";
    public long CreatedAt { get; set; }
    public long ActivatesAt { get; set; }

    public SigningKeyRecord ToRecord() => new(
        Kid, Algorithm, Slot, PublicJwk, ProtectedPrivateKey, KekId,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(ActivatesAt));
}
