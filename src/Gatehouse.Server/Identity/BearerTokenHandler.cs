using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Checks;
using Gatehouse.Server.Hosting;
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
    DecisionCache cache,
    GatehouseOptions gatehouse,
    SecurityMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private readonly byte[]? _bootstrapHash = gatehouse.BootstrapToken is { } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 512)
        {
            return Refused("malformed bearer token");
        }

        if (_bootstrapHash is not null &&
            CryptographicOperations.FixedTimeEquals(_bootstrapHash, SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
        {
            return Success(new Actor(ActorKind.Bootstrap, "bootstrap"), null);
        }

        var token = await cache.AuthenticateAsync(secret, await cache.VersionAsync(Context), Context.RequestAborted);
        if (token is null)
        {
            return Refused("unknown, expired or revoked token");
        }

        var actor = token.Subject.Kind == TokenKind.Deploy
            ? new Actor(ActorKind.App, token.Subject.Name)
            : new Actor(ActorKind.User, token.Subject.Name);
        return Success(actor, token.Id);
    }

    /// <summary>Logged at warning level with the address, never the secret, and counted in /metrics.</summary>
    private AuthenticateResult Refused(string reason)
    {
        metrics.Failed(AuthenticationFailure.Bearer);
        Logger.LogWarning("Bearer authentication failed at {Path} from {Address}: {Reason}", Request.Path.Value, Context.Connection.RemoteIpAddress, reason);
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(Actor actor, string? tokenId) =>
        AuthenticateResult.Success(new AuthenticationTicket(GatehouseClaims.Principal(actor, SchemeName, tokenId), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, ApiErrors.AuthenticationRequired,
            "Authentication required: send `Authorization: Bearer <token>` with a personal or deploy token (set GATEHOUSE_TOKEN for the CLI).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status403Forbidden, ApiErrors.Forbidden, "This token may not use this endpoint.");
}
