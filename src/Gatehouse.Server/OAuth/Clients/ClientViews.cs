using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth.Clients;

internal sealed record CreateClientBody(string? App, string? Environment, string? Description, string? AuthMethod, System.Text.Json.JsonElement? Jwk);

internal sealed record AddKeyBody(System.Text.Json.JsonElement? Jwk);

internal sealed record RotateSecretBody(int? OverlapHours);

/// <summary>The rotation response: the new secret, shown this once, and until when the old one still works.</summary>
internal sealed record RotatedSecretView(string ClientId, string ClientSecret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>A client as the API shows it: never the secret, never its hash.</summary>
internal sealed record ClientView(
    string Id, string App, string Environment, string? Description, string AuthMethod,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy, IReadOnlyList<string>? KeyIds,
    DateTimeOffset? PreviousSecretValidUntil = null, DateTimeOffset? LastUsedAt = null, string? LastScopes = null)
{
    public static string MethodName(ClientAuthMethod method) => method == ClientAuthMethod.PrivateKeyJwt ? "private_key_jwt" : "client_secret";

    public static ClientView From(OAuthClient c, IReadOnlyList<ClientPublicKey>? keys = null, CredentialLastUse? lastUse = null) => new(
        c.Id, c.App, c.Environment, c.Description, MethodName(c.AuthMethod), c.CreatedAt, c.CreatedBy, c.RevokedAt, c.RevokedBy,
        keys?.Select(k => k.Kid).ToList(), c.PreviousSecretHash is null ? null : c.PreviousSecretExpiresAt, lastUse?.At, lastUse?.Scopes);
}

/// <summary>The creation response: the one and only time the secret is shown.</summary>
internal sealed record CreatedClientView(ClientView Client, string? ClientSecret, string? Kid);
