using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// <c>private_key_jwt</c> (RFC 7523 section 3, RFC 7521): iss = sub = client id, aud = this
/// issuer or endpoint, a short exp, a jti never seen before, and a signature by one of the
/// client's registered public keys. <c>none</c> and HMAC algorithms are refused outright: with
/// HMAC, a public key would become a shared secret. The jti is recorded only after the
/// signature verifies, so nobody can burn another client's ids.
/// </summary>
internal sealed class ClientAssertionValidator(IOAuthStore store, AccessCache cache, OAuthOptions options, TimeProvider time)
{
    private static readonly string[] Accepted = ["ES256", "RS256", "PS256"];

    public async Task<(OAuthClient? Client, OAuthError? Error)> ValidateAsync(string assertion, string? formClientId, IReadOnlyCollection<string> audiences, long version, CancellationToken ct)
    {
        if (CompactJws.TryParse(assertion) is not { } jws)
        {
            return Fail("`client_assertion` is not a signed JWT (compact JWS).");
        }

        var alg = jws.Algorithm;
        if (alg is null || !Accepted.Contains(alg))
        {
            return Fail($"assertion algorithm `{alg ?? "(missing)"}` is not accepted: sign with ES256, RS256 or PS256 and a registered private key.");
        }

        if (jws.Header.TryGetProperty("crit", out _))
        {
            return Fail("assertion header `crit` is not supported.");
        }

        var clientId = jws.ClaimString("sub");
        if (clientId is null || clientId.Length > 128 || jws.ClaimString("iss") != clientId || (formClientId is not null && formClientId != clientId))
        {
            return Fail("assertion `iss` and `sub` must both be the client_id.");
        }

        var client = await cache.ClientAsync(clientId, version, ct);
        if (client is not { IsActive: true, AuthMethod: ClientAuthMethod.PrivateKeyJwt })
        {
            return Fail("client authentication failed.");
        }

        var kid = jws.HeaderString("kid");
        var keys = await cache.KeysAsync(clientId, version, ct);
        if (!keys.Any(k => (kid is null || k.Kid == kid) && ClientKeySignature.Verifies(k, alg, jws)))
        {
            return Fail("assertion signature does not verify with any registered key of this client.");
        }

        if (!jws.Audiences().Any(audiences.Contains))
        {
            return Fail($"assertion `aud` must be the issuer or the endpoint URL ({string.Join(" or ", audiences)}).");
        }

        var now = time.GetUtcNow();
        if (jws.ClaimNumber("exp") is not { } exp)
        {
            return Fail("assertion `exp` is required.");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expiresAt + options.ClockSkew <= now)
        {
            return Fail("assertion has expired.");
        }

        if (expiresAt > now + options.MaxAssertionLifetime + options.ClockSkew)
        {
            return Fail($"assertion `exp` is too far ahead: at most {options.MaxAssertionLifetime.TotalSeconds:0} seconds from now.");
        }

        if (jws.ClaimNumber("nbf") is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + options.ClockSkew)
        {
            return Fail("assertion is not valid yet (`nbf`).");
        }

        if (jws.ClaimString("jti") is not { Length: > 0 and <= 256 } jti)
        {
            return Fail("assertion `jti` is required (a unique id, at most 256 characters).");
        }

        return await store.TryRecordAssertionAsync(clientId, jti, expiresAt + options.ClockSkew, now, ct)
            ? (client, null)
            : Fail("assertion `jti` was already used: make a new assertion for every request.");
    }

    private static (OAuthClient?, OAuthError?) Fail(string description) => (null, OAuthError.Client(description));
}
