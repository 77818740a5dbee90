using Gatehouse.Core.Access;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Opens a portal session. The cookie carries the user's name and, for a token sign-in, the
/// token's id (to notice its revocation), never the secret; it is encrypted (Data Protection, key ring in the database).
/// </summary>
internal static class PortalSignIn
{
    public static Task SignInAsync(HttpContext context, UserInfo user, TokenInfo? token, DateTimeOffset now)
    {
        var properties = new AuthenticationProperties();
        var principal = Session(user, token, now, properties);
        return context.SignInAsync(PortalAuthentication.CookieScheme, principal, properties);
    }

    /// <summary>
    /// The session's principal, and its lifetime written into <paramref name="properties"/>: shared by
    /// every way in, so an OpenID Connect sign-in gets the same cookie as a token sign-in.
    /// </summary>
    public static System.Security.Claims.ClaimsPrincipal Session(UserInfo user, TokenInfo? token, DateTimeOffset now, AuthenticationProperties properties)
    {
        var ends = now + PortalAuthentication.SessionLifetime;
        if (token is not null && token.ExpiresAt < ends)
        {
            ends = token.ExpiresAt;
        }

        properties.IsPersistent = false;
        properties.IssuedUtc = now;
        properties.ExpiresUtc = ends;
        PortalSessionValidator.Write(properties, PortalSessionValidator.SessionEndsAt, ends);
        return GatehouseClaims.Principal(new Actor(ActorKind.User, user.Name), PortalAuthentication.CookieScheme, token?.Id);
    }

    /// <summary>
    /// A return address is followed only when it stays on this site: a path, not <c>//host</c> or
    /// <c>/\host</c>, and no control character (browsers drop a tab or newline, so <c>/\t/evil</c>
    /// would become <c>//evil</c>; LocalRedirect refuses it by throwing).
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";
}
