using Gatehouse.Server.Portal.SignIn;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>
/// Where an OpenID Connect sign-in that opened no session ends: the provider's answer was refused,
/// or the person it names is not a user of the organisation file. Says which, and who can help.
/// </summary>
internal sealed class SignInRefusedModel(IGatehouseStore store) : PageModel
{
    public string Code { get; private set; } = PortalErrors.IdentityProviderRefused;

    /// <summary>The identity the provider named (only when the address carries it protected by this server).</summary>
    public string? Identity { get; private set; }

    public IReadOnlyList<string> Admins { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? code, string? who, CancellationToken ct)
    {
        Identity = RefusedIdentity.Read(HttpContext, who);
        Code = code is PortalErrors.IdentityNotAUser or PortalErrors.IdentityEmailDomain or PortalErrors.IdentityClaimMissing && Identity is not null
            ? code
            : PortalErrors.IdentityProviderRefused;
        Admins = (await store.GetOrganisationAsync(ct))?.Organisation.Admins ?? [];
        Response.StatusCode = Code == PortalErrors.IdentityProviderRefused ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        return Page();
    }
}
