using Gatehouse.Server.Api;
using Gatehouse.Server.Portal.SignIn;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.Server.Portal;

/// <summary>What every signed-in page has: the viewer, a flash message after a redirect, a store refusal to show.</summary>
internal abstract class PortalPageModel : PageModel
{
    private const string FlashKey = "flash";

    public PortalViewer Viewer => PortalViewer.Of(HttpContext) ?? throw new InvalidOperationException("a portal page ran without a signed-in viewer");

    /// <summary>The store's refusal of the last form post (code and message), shown in an alert.</summary>
    public string? Problem { get; private set; }

    [TempData(Key = FlashKey)]
    public string? Flash { get; set; }

    /// <summary>Shows a refusal with the status the API would answer (403, 404, 409, 422) and the same code.</summary>
    protected void Refused<T>(StoreResult<T> failure)
    {
        Response.StatusCode = ApiProblems.StatusFor(failure.ErrorKind);
        Problem = $"{failure.ErrorCode}: {failure.ErrorMessage}";
    }

    /// <summary>Shows a refusal that did not come from the store (an OAuth client rule) the same way.</summary>
    protected void Refused(int status, string code, string message)
    {
        Response.StatusCode = status;
        Problem = $"{code}: {message}";
    }

    protected IActionResult Done(string message, string? returnUrl)
    {
        Flash = message;
        return LocalRedirect(PortalSignIn.SafeReturnUrl(returnUrl));
    }
}
