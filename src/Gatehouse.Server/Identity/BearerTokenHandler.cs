using System.Text.Encodings.Web;
using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Checks;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Identity.Ci;
using Gatehouse.Server.Observability;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gatehouse.Server.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;secret&gt;</c>: the bootstrap token (compared in
/// constant time) or a personal/deploy token looked up by its hash. The secret is never logged.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerSecrets secrets,
    SecurityMetrics metrics,
    CiTokenValidator ci)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (CiTokenValidator.LooksLikeJwt(header.AsSpan("Bearer ".Length).Trim()))
        {
            return await AuthenticateCiRunAsync(header["Bearer ".Length..].Trim());
        }

        if (BearerSecrets.Secret(header, out _) is not { } secret)
        {
            return Refused("malformed bearer token");
        }

        var principal = await secrets.AuthenticateAsync(secret, Context);
        return principal is null
            ? Refused("unknown, expired or revoked token")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>A CI run's OpenID Connect token (ADR 0021): only for push, plan and check.</summary>
    private async Task<AuthenticateResult> AuthenticateCiRunAsync(string jwt)
    {
        if (!HttpMethods.IsPost(Request.Method) || Request.Path.Value is not ("/api/v1/push" or "/api/v1/plan" or "/api/v1/check"))
        {
            return Refused(new CiRefusal(403, CiErrors.EndpointNotForCi,
                "A CI run's token may only push, plan and check (POST /api/v1/push, /api/v1/plan, /api/v1/check); use a personal token for anything else."));
        }

        var (actor, refusal) = await ci.ValidateAsync(jwt, Context.RequestAborted);
        if (actor is null)
        {
            return Refused(refusal!);
        }

        Logger.LogInformation("CI run admitted by rule {Rule} to act for app {App}, triggered by {Trigger}", actor.CiRule, actor.Name, actor.TriggeredBy ?? "(nobody named)");
        return Success(actor);
    }

    private AuthenticateResult Refused(CiRefusal refusal)
    {
        Context.Items[typeof(CiRefusal)] = refusal;
        return Refused($"{refusal.Code}: {refusal.Detail}");
    }

    /// <summary>Logged at warning level with the address, never the secret, and counted in /metrics.</summary>
    private AuthenticateResult Refused(string reason)
    {
        metrics.Failed(AuthenticationFailure.Bearer);
        Logger.LogWarning("Bearer authentication failed at {Path} from {Address}: {Reason}", Request.Path.Value, Context.Connection.RemoteIpAddress, reason);
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(Actor actor) =>
        AuthenticateResult.Success(new AuthenticationTicket(GatehouseClaims.Principal(actor, SchemeName), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[typeof(CiRefusal)] is CiRefusal refusal)
        {
            Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await ApiProblems.Write(Context, refusal.Status, refusal.Code, refusal.Detail);
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, ApiErrors.AuthenticationRequired,
            "Authentication required: send `Authorization: Bearer <token>` with a personal or deploy token (set GATEHOUSE_TOKEN for the CLI).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status403Forbidden, ApiErrors.Forbidden, "This token may not use this endpoint.");
}
