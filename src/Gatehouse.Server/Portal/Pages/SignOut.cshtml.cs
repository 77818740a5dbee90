using Gatehouse.Server.Portal.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>Ends the portal session (a post, so a link on another site cannot sign anyone out).</summary>
internal sealed class SignOutModel : PortalPageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
        return LocalRedirect("/signin");
    }
}
