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
/// <c>scope</c> claim per granted scope. Fails closed when Gatehouse cannot be reached.
/// </summary>
internal sealed partial class GatehouseTokenHandler(
    IOptionsMonitor<GatehouseTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder, GatehouseSigningKeys signingKeys)
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

        var token = header["Bearer ".Length..].Trim();
        TokenValidationResult result;
        try
        {
            var keys = await signingKeys.GetAsync(Options, unknownKid: false, Context.RequestAborted);
            result = await Tokens.ValidateTokenAsync(token, Parameters(keys));
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Perhaps a key rotated in since we last looked: read the keys once more.
                keys = await signingKeys.GetAsync(Options, unknownKid: true, Context.RequestAborted);
                result = await Tokens.ValidateTokenAsync(token, Parameters(keys));
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            LogKeysUnavailable(Logger, Options.Authority, e.GetType().Name);
            return AuthenticateResult.Fail("Gatehouse signing keys unavailable");
        }

        if (!result.IsValid)
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

        var identity = new ClaimsIdentity(claims, Scheme.Name, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private TokenValidationParameters Parameters(GatehouseSigningKeys.Keys keys) => new()
    {
        ValidIssuer = keys.Issuer,
        ValidAudience = Options.ExpectedAudience,
        IssuerSigningKeys = keys.SigningKeys,
        ValidAlgorithms = Algorithms,
        ValidTypes = Types,
        ClockSkew = Options.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        NameClaimType = "sub",
    };

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

    [LoggerMessage(LogLevel.Warning, "Gatehouse keys from {Authority} unavailable ({Error}); refusing tokens until they are")]
    private static partial void LogKeysUnavailable(ILogger logger, string? authority, string error);

    [LoggerMessage(LogLevel.Information, "Gatehouse token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
