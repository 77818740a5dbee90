using System.Globalization;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Re-checks a portal session on every request: the user must still be in the organisation
/// file, and the token it was opened with must still be live, so removing a person or revoking
/// the token ends the session at its next request (ADR 0011). Both are primary-key reads.
/// </summary>
internal static class PortalSessionValidator
{
    public const string SessionEndsAt = "gatehouse:ends";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var store = http.RequestServices.GetRequiredService<IGatehouseStore>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var name = context.Principal?.Identity?.Name;
        var user = name is null ? null : await store.GetUserAsync(name, http.RequestAborted);
        if (user is null)
        {
            await Reject(context);
            return;
        }

        // Renewing the cookie below moves its expiry; this absolute end does not move.
        var now = time.GetUtcNow();
        if (Read(context.Properties, SessionEndsAt) is not { } ends || now >= ends)
        {
            await Reject(context);
            return;
        }

        var tokenId = context.Principal!.FindFirst(GatehouseClaims.TokenId)?.Value;
        if (tokenId is not null)
        {
            var token = await store.GetTokenAsync(tokenId, http.RequestAborted);
            if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now || token.Subject.Name != user.Name)
            {
                await Reject(context);
                return;
            }
        }

        PortalViewer.Remember(http, user);
    }

    public static void Write(AuthenticationProperties properties, string key, DateTimeOffset value) =>
        properties.Items[key] = value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Read(AuthenticationProperties properties, string key) =>
        properties.Items.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    private static async Task Reject(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
    }
}
