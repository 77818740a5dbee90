using Gatehouse.Core.Access;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Organisations;
using Gatehouse.Server.OAuth;
using Gatehouse.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.Identity.Ci;

/// <summary>A refusal of a CI token: the Problem Details it becomes.</summary>
internal sealed record CiRefusal(int Status, string Code, string Detail);

/// <summary>
/// Keyless CI identity (ADR 0021): a CI run's OpenID Connect token, sent as the bearer, acts for
/// the app of the first rule of its trusted issuer that its claims match. Strict: the issuer must
/// be listed in the organisation file, <c>alg</c> RS256 or ES256 only, the key picked by
/// <c>kid</c> from that issuer's JWKS, the audience exactly the configured one, <c>exp</c>
/// required and <c>nbf</c> honoured with <see cref="ClockSkew"/>. The run's trigger
/// (<c>actor</c>/<c>user_login</c>) becomes a person behind what it files, who may not decide it.
/// </summary>
internal sealed class CiTokenValidator(IGatehouseStore store, CiIssuerKeys keys, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);
    public const int MaxTokenLength = 16 * 1024;
    private static readonly string[] Accepted = ["RS256", "ES256"];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>Whether a bearer secret is a JWT rather than a Gatehouse token (which never contains a dot).</summary>
    public static bool LooksLikeJwt(ReadOnlySpan<char> secret) => secret.StartsWith("eyJ", StringComparison.Ordinal) && secret.Contains('.');

    public async Task<(Actor? Actor, CiRefusal? Refusal)> ValidateAsync(string token, CancellationToken ct)
    {
        if (token.Length > MaxTokenLength)
        {
            return Invalid($"the CI token is longer than {MaxTokenLength} characters.");
        }

        var (jwt, problem) = StrictJwtReader.Read(token);
        if (jwt is null)
        {
            return Invalid("the CI token " + problem);
        }

        if (!Accepted.Contains(jwt.Alg))
        {
            return Invalid($"CI token algorithm `{(string.IsNullOrEmpty(jwt.Alg) ? "(missing)" : jwt.Alg)}` is not accepted: only RS256 and ES256.");
        }

        jwt.TryGetPayloadValue<string>("iss", out var iss);
        var organisation = (await store.GetOrganisationAsync(ct))?.Organisation;
        var issuer = organisation?.CiIssuers.FirstOrDefault(i => i.Issuer == iss);
        if (issuer is null)
        {
            return (null, new CiRefusal(401, CiErrors.IssuerNotTrusted,
                $"CI tokens from issuer `{Printable(iss)}` are not trusted: list it under `ciIssuers` in the organisation file."));
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            return Invalid("the CI token has no `kid`: the issuer's key cannot be chosen.");
        }

        var (candidates, keyProblem) = await keys.KeysAsync(issuer, jwt.Kid, ct);
        if (candidates is null)
        {
            return (null, new CiRefusal(503, CiErrors.IssuerUnreachable,
                $"The keys of CI issuer `{issuer.Name}` could not be read ({keyProblem}); try again later."));
        }

        if (candidates.Count == 0)
        {
            return Invalid($"the CI token's key `{Printable(jwt.Kid)}` is not in the JWKS of issuer `{issuer.Name}`.");
        }

        string? lifetime = null;
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeyResolver = (_, _, _, _) => candidates,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            AlgorithmValidator = (algorithm, key, _, _) => Accepted.Contains(algorithm) && Fits(key, algorithm),
            ValidIssuer = issuer.Issuer,
            ValidAudience = issuer.Audience,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, _) => (lifetime = LifetimeProblem(notBefore, expires)) is null,
        });
        if (!result.IsValid)
        {
            return Invalid(result.Exception switch
            {
                SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException => lifetime ?? "the CI token has no `exp`.",
                SecurityTokenInvalidAudienceException => $"the CI token's audience is not `{issuer.Audience}`, the audience configured for issuer `{issuer.Name}`: request the token for that audience.",
                SecurityTokenInvalidIssuerException => "the CI token's issuer does not match.",
                SecurityTokenInvalidAlgorithmException => $"the CI token's algorithm `{jwt.Alg}` does not fit its key.",
                _ => "the CI token's signature does not verify with the issuer's key.",
            });
        }

        var claims = CiRunClaims.From(name => jwt.TryGetPayloadValue<string>(name, out var value) && value is { Length: > 0 and <= 512 } ? value : null);
        var match = CiRuleMatch.Find(issuer, claims);
        if (match.Rule is not { } rule)
        {
            var closest = match.Closest is { } near
                ? $" Closest: rule `{near.Name}` (app `{near.App}`, line {near.Location.Line}) — {match.Mismatch}."
                : " The issuer has no rules.";
            return (null, new CiRefusal(403, CiErrors.NoRuleMatches,
                $"No rule of CI issuer `{issuer.Name}` admits this run (repository `{Printable(claims.Repository)}`, ref `{Printable(claims.Ref)}`, environment `{Printable(claims.Environment)}`).{closest}"));
        }

        // CI systems report logins in any case; user names in the organisation file are lower case.
        var trigger = claims.Actor?.Trim().ToLowerInvariant();
        return (new Actor(ActorKind.App, rule.App)
        {
            CiRule = $"{issuer.Name}/{rule.Name}",
            TriggeredBy = trigger is not null && NameRules.IsUserName(trigger) ? trigger : null,
        }, null);
    }

    private static bool Fits(SecurityKey key, string algorithm) => (key, algorithm) switch
    {
        (RsaSecurityKey or JsonWebKey { Kty: "RSA" }, "RS256") => true,
        (ECDsaSecurityKey or JsonWebKey { Kty: "EC" }, "ES256") => true,
        _ => false,
    };

    private string? LifetimeProblem(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow();
        return (Utc(notBefore), Utc(expires)) switch
        {
            (_, null) => "the CI token has no `exp`.",
            (_, { } exp) when exp + ClockSkew <= now => "the CI token has expired: request a new one for this step.",
            ({ } nbf, _) when nbf > now + ClockSkew => "the CI token is not valid yet (`nbf`).",
            _ => null,
        };
    }

    private static DateTimeOffset? Utc(DateTime? at) => at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static string Printable(string? text) => text is null ? "(none)" : Api.ApiProblems.Printable(text);

    private static (Actor?, CiRefusal?) Invalid(string detail) => (null, new CiRefusal(401, CiErrors.TokenInvalid, detail[..1].ToUpperInvariant() + detail[1..]));
}

/// <summary>GH418x: refusals of CI tokens (docs/errors.md).</summary>
internal static class CiErrors
{
    public const string IssuerNotTrusted = "GH4180";
    public const string TokenInvalid = "GH4181";
    public const string NoRuleMatches = "GH4182";
    public const string EndpointNotForCi = "GH4183";
    public const string IssuerUnreachable = "GH4184";
}
