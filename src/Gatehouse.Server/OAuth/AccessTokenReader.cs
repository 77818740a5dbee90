using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.OAuth;

/// <summary>The claims of a Gatehouse access token that verified.</summary>
internal sealed record VerifiedAccessToken(string Subject, AppAudience Audience, string ClientId, IReadOnlyList<string> Scopes, long IssuedAt, long ExpiresAt, string Jti);

/// <summary>
/// Verifies a Gatehouse access token against this issuer's published keys: <c>typ at+jwt</c>,
/// the algorithm of the key named by <c>kid</c> (never the one the token claims alone), the
/// signature, <c>iss</c> and expiry. Anything else, or anything malformed, is null.
/// </summary>
internal static class AccessTokenReader
{
    public static VerifiedAccessToken? Read(string token, KeyRingSnapshot keys, string issuer, DateTimeOffset now)
    {
        if (token.Length > OAuthForm.MaxJwtLength || CompactJws.TryParse(token) is not { } jws)
        {
            return null;
        }

        if (jws.HeaderString("typ") is not ("at+jwt" or "application/at+jwt") || jws.HeaderString("kid") is not { } kid)
        {
            return null;
        }

        if (keys.FindPublished(kid) is not { } key || key.Algorithm != jws.Algorithm || !key.Verify(jws.SigningInput, jws.Signature))
        {
            return null;
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        if (jws.ClaimString("iss") != issuer || jws.ClaimNumber("exp") is not { } exp || exp <= nowSeconds || jws.ClaimNumber("iat") is not { } iat)
        {
            return null;
        }

        var audiences = jws.Audiences();
        if (audiences.Count != 1 || !AppAudience.TryParse(audiences[0], out var audience)
            || jws.ClaimString("sub") is not { } subject || jws.ClaimString("client_id") is not { } clientId
            || jws.ClaimString("scope") is not { } scope || jws.ClaimString("jti") is not { } jti)
        {
            return null;
        }

        return new VerifiedAccessToken(subject, audience, clientId, scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), iat, exp, jti);
    }
}
