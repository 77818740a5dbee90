using Gatehouse.Storage.OAuth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// <c>private_key_jwt</c> (RFC 7523 section 3, RFC 7521): iss = sub = client id, aud = this
/// issuer or endpoint, a short exp, a jti never seen before, and a signature by one of the
/// client's registered public keys. The JWT is read by <see cref="StrictJwtReader"/> and
/// verified by IdentityModel; <c>none</c> and HMAC algorithms are refused outright (with HMAC, a
/// public key would become a shared secret). Until the signature has verified, every failure
/// that depends on the client gives the same answer, so an unknown client id, a revoked client
/// and a forged assertion cannot be told apart. The jti is recorded only after the signature
/// verifies, so nobody can burn another client's ids.
/// </summary>
internal sealed class ClientAssertionValidator(IOAuthStore store, AccessCache cache, OAuthOptions options, TimeProvider time)
{
    private const string Failed = "client authentication failed.";
    private static readonly string[] Accepted = ["ES256", "RS256", "PS256"];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<(OAuthClient? Client, OAuthError? Error)> ValidateAsync(string assertion, string? formClientId, IReadOnlyCollection<string> audiences, long version, CancellationToken ct)
    {
        var (jwt, problem) = StrictJwtReader.Read(assertion);
        if (jwt is null)
        {
            return Fail("`client_assertion` " + problem);
        }

        var alg = jwt.Alg;
        if (string.IsNullOrEmpty(alg) || !Accepted.Contains(alg))
        {
            return Fail($"assertion algorithm `{(string.IsNullOrEmpty(alg) ? "(missing)" : alg)}` is not accepted: sign with ES256, RS256 or PS256 and a registered private key.");
        }

        jwt.TryGetPayloadValue<string>("sub", out var clientId);
        jwt.TryGetPayloadValue<string>("iss", out var issuer);
        if (clientId is not { Length: > 0 and <= 128 } || issuer != clientId || (formClientId is not null && formClientId != clientId))
        {
            return Fail("assertion `iss` and `sub` must both be the client_id.");
        }

        var client = await cache.ClientAsync(clientId, version, ct);
        var known = client is { IsActive: true, AuthMethod: ClientAuthMethod.PrivateKeyJwt };
        var kid = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;
        IReadOnlyList<SecurityKey> keys = known
            ? [.. (await cache.KeysAsync(clientId, version, ct)).Where(k => kid is null || k.Kid == kid).Select(ClientSecurityKeys.From)]
            : [];
        if (keys.Count == 0)
        {
            keys = [ClientSecurityKeys.Decoy(alg, kid)]; // the same work as a real key, and it never verifies
        }

        var signed = false;
        string? lifetime = null;
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeyResolver = (_, _, _, _) => keys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            AlgorithmValidator = (algorithm, key, _, _) => Accepted.Contains(algorithm) && ClientSecurityKeys.Allows(key, algorithm),

            // Called by IdentityModel only once the signature has verified.
            IssuerSigningKeyValidator = (_, _, _) => signed = true,
            ValidIssuer = clientId,
            ValidAudiences = audiences,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            RequireAudience = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => (lifetime = LifetimeProblem(notBefore, expires)) is null,
            ValidateTokenReplay = false, // the jti store below, shared by every replica
        });

        if (!known || !signed)
        {
            return Fail(Failed);
        }

        if (!result.IsValid)
        {
            return Fail(result.Exception switch
            {
                SecurityTokenInvalidLifetimeException => lifetime ?? Failed,
                SecurityTokenInvalidAudienceException => $"assertion `aud` must be the issuer or the endpoint URL ({string.Join(" or ", audiences)}).",
                SecurityTokenInvalidIssuerException => "assertion `iss` and `sub` must both be the client_id.",
                _ => Failed,
            });
        }

        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || jti is not { Length: > 0 and <= 256 })
        {
            return Fail("assertion `jti` is required (a unique id, at most 256 characters).");
        }

        var now = time.GetUtcNow();
        return await store.TryRecordAssertionAsync(clientId, jti, Utc(jwt.ValidTo)!.Value + options.ClockSkew, now, ct)
            ? (client, null)
            : Fail("assertion `jti` was already used: make a new assertion for every request.");
    }

    /// <summary>
    /// The lifetime rules on our clock (IdentityModel's own reads the system clock): an
    /// <c>exp</c> that has not passed and is at most <c>MaxAssertionLifetime</c> ahead, and an
    /// <c>nbf</c>, if any, that has come; each with the clock skew.
    /// </summary>
    private string? LifetimeProblem(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow();
        var skew = options.ClockSkew;
        return (Utc(notBefore), Utc(expires)) switch
        {
            (_, null) => "assertion `exp` is required.",
            (_, { } exp) when exp + skew <= now => "assertion has expired.",
            (_, { } exp) when exp > now + options.MaxAssertionLifetime + skew =>
                $"assertion `exp` is too far ahead: at most {options.MaxAssertionLifetime.TotalSeconds:0} seconds from now.",
            ({ } nbf, _) when nbf > now + skew => "assertion is not valid yet (`nbf`).",
            ({ } nbf, { } exp) when nbf > exp => "assertion `nbf` is after its `exp`.",
            _ => null,
        };
    }

    private static DateTimeOffset? Utc(DateTime? at) => at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static (OAuthClient?, OAuthError?) Fail(string description) => (null, OAuthError.Client(description));
}
