using System.Text.Encodings.Web;
using Gatehouse.Core.Access;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Identity asserted by a reverse proxy (off by default). Only selected for requests from a
/// configured proxy address; the named user must exist in the organisation file.
/// </summary>
internal sealed class TrustedHeaderHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGatehouseStore store,
    PortalOptions portal)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (portal.TrustedHeader is not { } header || !portal.IsTrustedProxy(ProxyForwarding.Peer(Context)))
        {
            return AuthenticateResult.NoResult();
        }

        var name = Request.Headers[header].ToString().Trim();
        if (name.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("empty or overlong trusted identity header");
        }

        var user = await store.GetUserAsync(name, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail($"`{name}` is not a user of the organisation file");
        }

        PortalViewer.Remember(Context, user);
        var principal = GatehouseClaims.Principal(new Actor(ActorKind.User, user.Name), Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.ContentType = "text/plain; charset=utf-8";
        await Response.WriteAsync(PortalErrors.ProxyUserUnknown + ": the identity your proxy sent is not a user of this Gatehouse organisation. Ask a platform admin to add you to a team.");
    }
}
