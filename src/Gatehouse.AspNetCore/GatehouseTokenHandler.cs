using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> Gatehouse access tokens: RFC 9068 type
/// <c>at+jwt</c>, ES256 or RS256 only (so <c>none</c> and HMAC never verify), the issuer's
/// published keys, this service's audience, and expiry. The principal gets one
/// <c>scope</c> claim per granted scope. Validates with the last keys read while Gatehouse
/// cannot be reached; fails closed only when no keys were ever read. A token verified once is
/// served from <see cref="GatehouseTokenCache"/> while its keys, options and lifetime hold.
/// </summary>
internal sealed partial class GatehouseTokenHandler(
    IOptionsMonitor<GatehouseTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder, GatehouseSigningKeys signingKeys, GatehouseTokenCache cache)
    : AuthenticationHandler<GatehouseTokenOptions>(options, logger, encoder)
{
    private static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
    private static readonly string[] Types = ["at+jwt"];
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        // Where the token is in the header: a cache hit reads it there, never copying it.
        var (start, length) = TokenRange(header);
        GatehouseSigningKeys.Keys keys;
        try
        {
            keys = await signingKeys.GetAsync(Options, TimeProvider, Context.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            // Never read any keys (logged where the read failed): fail closed.
            return AuthenticateResult.Fail("Gatehouse signing keys unavailable");
        }

        if (cache.TryGet(header.AsSpan(start, length), keys, Options, TimeProvider.GetUtcNow(), out var cached))
        {
            return Success(cached);
        }

        var token = header.Substring(start, length);
        var result = await Tokens.ValidateTokenAsync(token, Parameters(keys));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await signingKeys.RefreshForUnknownKeyAsync(Options, TimeProvider, Context.RequestAborted) is { } fresher && fresher != keys)
        {
            // A key rotated in since we last looked: validate once more with the fresh keys.
            keys = fresher;
            result = await Tokens.ValidateTokenAsync(token, Parameters(keys));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken verified)
        {
            // The reason type only: never the token.
            LogRejected(Logger, result.Exception?.GetType().Name ?? "invalid");
            return AuthenticateResult.Fail("invalid token");
        }

        var claims = result.ClaimsIdentity.Claims.Where(c => c.Type != GatehouseTokenDefaults.ScopeClaim).ToList();
        if (result.Claims.TryGetValue("scope", out var scope) && scope is string scopes)
        {
            claims.AddRange(scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(GatehouseTokenDefaults.ScopeClaim, s)));
        }

        Claim[] proved = [.. claims];
        var notBefore = verified.ValidFrom == DateTime.MinValue ? (DateTimeOffset?)null : new DateTimeOffset(verified.ValidFrom, TimeSpan.Zero);
        cache.Add(token, new GatehouseTokenCache.Entry(keys, Options, proved, new DateTimeOffset(verified.ValidTo, TimeSpan.Zero), notBefore));
        return Success(proved);
    }

    private static (int Start, int Length) TokenRange(string header)
    {
        var token = header.AsSpan("Bearer ".Length);
        var trimmed = token.TrimStart();
        var start = "Bearer ".Length + (token.Length - trimmed.Length);
        return (start, trimmed.TrimEnd().Length);
    }

    /// <summary>A new principal per request (claims transformations may change it), over the proved claims.</summary>
    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "sub", "role")), Scheme.Name));

    private TokenValidationParameters Parameters(GatehouseSigningKeys.Keys keys) => new()
    {
        ValidIssuer = keys.Issuer,
        ValidAudience = Options.ExpectedAudience,
        IssuerSigningKeys = keys.SigningKeys,
        ValidAlgorithms = Algorithms,
        ValidTypes = Types,
        ValidateLifetime = true,
        LifetimeValidator = (notBefore, expires, _, _) => Lifetime(notBefore, expires),
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        NameClaimType = "sub",
    };

    /// <summary>
    /// <c>exp</c> required and not passed, <c>nbf</c> (if any) reached, both with the clock skew,
    /// on the handler's <see cref="TimeProvider"/> (IdentityModel's own check reads the system clock).
    /// </summary>
    private bool Lifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = TimeProvider.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp + Options.ClockSkew > now && !(notBefore > now + Options.ClockSkew);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failed = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Gatehouse token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
