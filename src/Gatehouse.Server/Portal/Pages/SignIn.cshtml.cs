using Gatehouse.Server.Hosting;
using Gatehouse.Server.Observability;
using Gatehouse.Server.Portal.SignIn;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>
/// Sign-in with a personal token (the token is checked once and never stored in the cookie),
/// or, in demo mode only, by picking one of the organisation's users. Attempts are rate limited
/// per address; a refused one is logged at warning level (never the token) and counted.
/// </summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
internal sealed class SignInModel(
    IGatehouseStore store, GatehouseOptions options, PortalOptions portal, OidcSignInOptions oidc, TimeProvider time, SecurityMetrics metrics, ILogger<SignInModel> logger) : PageModel
{
    public IReadOnlyList<UserInfo> DemoUsers { get; private set; } = [];

    public bool Demo => options.Demo;

    public string? TrustedHeader => portal.TrustedHeader;

    /// <summary>The identity provider's name on the sign-in button, when OpenID Connect sign-in is configured.</summary>
    public string? IdentityProvider => oidc.Enabled ? oidc.DisplayName : null;

    public string ReturnUrl { get; private set; } = "/";

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = PortalSignIn.SafeReturnUrl(returnUrl);
        if (User.Identity?.IsAuthenticated == true && PortalViewer.Of(HttpContext) is not null)
        {
            return LocalRedirect(ReturnUrl);
        }

        await LoadDemoUsersAsync(ct);
        return Page();
    }

    /// <summary>
    /// Sends the browser to the identity provider (a GET: it changes nothing here, and the answer is
    /// bound to this browser by the correlation cookie, the state and the nonce).
    /// </summary>
    public IActionResult OnGetOidc(string? returnUrl)
    {
        if (!oidc.Enabled)
        {
            return NotFound();
        }

        return Challenge(new AuthenticationProperties { RedirectUri = PortalSignIn.SafeReturnUrl(returnUrl) }, OidcSignIn.Scheme);
    }

    public async Task<IActionResult> OnPostTokenAsync(string? token, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = PortalSignIn.SafeReturnUrl(returnUrl);
        var secret = token?.Trim() ?? string.Empty;
        var info = secret.Length is > 0 and <= 512 ? await store.AuthenticateTokenAsync(secret, ct) : null;
        if (info is null || info.Subject.Kind != TokenKind.Personal)
        {
            return await FailAsync(info is null
                ? $"{PortalErrors.TokenUnknown}: this token is unknown, expired or revoked. Get a personal token (`gatehouse token create --user NAME`, run by an admin or with your current token) and paste it here."
                : $"{PortalErrors.DeployTokenSignIn}: this is a deploy token, which belongs to an app. Sign in with your personal token.", ct);
        }

        if (await store.GetUserAsync(info.Subject.Name, ct) is not { } user)
        {
            return await FailAsync($"{PortalErrors.UserUnknown}: `{info.Subject.Name}` is no longer a user of the organisation file.", ct);
        }

        await PortalSignIn.SignInAsync(HttpContext, user, info, time.GetUtcNow());
        return LocalRedirect(ReturnUrl);
    }

    public async Task<IActionResult> OnPostDemoAsync(string? user, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = PortalSignIn.SafeReturnUrl(returnUrl);
        if (!options.Demo)
        {
            // The picker exists only in demo mode; a post to it otherwise signs nobody in.
            return NotFound();
        }

        if (user is null || await store.GetUserAsync(user, ct) is not { } info)
        {
            return await FailAsync($"{PortalErrors.UserUnknown}: pick one of the listed users.", ct);
        }

        await PortalSignIn.SignInAsync(HttpContext, info, null, time.GetUtcNow());
        return LocalRedirect(ReturnUrl);
    }

    private async Task<IActionResult> FailAsync(string problem, CancellationToken ct)
    {
        metrics.Failed(AuthenticationFailure.PortalSignIn);
        logger.LogWarning("Portal sign-in refused from {Address}: {Problem}", HttpContext.Connection.RemoteIpAddress, problem[..problem.IndexOf(':', StringComparison.Ordinal)]);
        Problem = problem;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await LoadDemoUsersAsync(ct);
        return Page();
    }

    private async Task LoadDemoUsersAsync(CancellationToken ct)
    {
        if (!options.Demo || await store.GetOrganisationAsync(ct) is not { } org)
        {
            return;
        }

        var users = new List<UserInfo>();
        foreach (var name in org.Organisation.Admins.Concat(org.Organisation.Teams.SelectMany(t => t.Members)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (await store.GetUserAsync(name, ct) is { } user)
            {
                users.Add(user);
            }
        }

        DemoUsers = users;
    }
}
