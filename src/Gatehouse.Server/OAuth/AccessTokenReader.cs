using System.Runtime.CompilerServices;
using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.OAuth;

/// <summary>The claims of a Gatehouse access token that verified.</summary>
internal sealed record VerifiedAccessToken(string Subject, AppAudience Audience, string ClientId, IReadOnlyList<string> Scopes, long IssuedAt, long ExpiresAt, string Jti);

/// <summary>
/// Verifies a Gatehouse access token against this issuer's published keys, with IdentityModel
/// behind <see cref="StrictJwtReader"/>: <c>typ at+jwt</c>, the algorithm of the key named by
/// <c>kid</c> (never the one the token claims alone), the signature, <c>iss</c> and expiry.
/// Anything else, or anything malformed, is null.
/// </summary>
internal static class AccessTokenReader
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };
    private static readonly string[] Types = ["at+jwt", "application/at+jwt"];

    // One IdentityModel key per signing key, made when first needed and dropped with the key.
    private static readonly ConditionalWeakTable<SigningKey, JsonWebKey> PublicKeys = [];

    public static async Task<VerifiedAccessToken?> ReadAsync(string token, KeyRingSnapshot keys, string issuer, TimeProvider time)
    {
        if (token.Length > OAuthForm.MaxJwtLength || StrictJwtReader.Read(token).Token is not { } jwt)
        {
            return null;
        }

        if (string.IsNullOrEmpty(jwt.Kid) || keys.FindPublished(jwt.Kid) is not { } key)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = PublicKeys.GetValue(key, k => new JsonWebKey(JsonSerializer.Serialize(k.PublicJwk)) { KeyId = k.Kid }),
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            ValidAlgorithms = [key.Algorithm],
            ValidTypes = Types,
            ValidIssuer = issuer,
            ValidateAudience = false, // read below: exactly one, an app in an environment
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => expires > now && !(notBefore > now), // on our clock, no skew: we issued it
        });
        if (!result.IsValid)
        {
            return null;
        }

        var audiences = jwt.Audiences.ToList();
        if (audiences.Count != 1 || !AppAudience.TryParse(audiences[0], out var audience)
            || !jwt.TryGetPayloadValue<long>("iat", out var iat) || !jwt.TryGetPayloadValue<long>("exp", out var exp)
            || !jwt.TryGetPayloadValue<string>("sub", out var subject) || !jwt.TryGetPayloadValue<string>("client_id", out var clientId)
            || !jwt.TryGetPayloadValue<string>("scope", out var scope) || !jwt.TryGetPayloadValue<string>("jti", out var jti))
        {
            return null;
        }

        return new VerifiedAccessToken(subject, audience, clientId, scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), iat, exp, jti);
    }
}
