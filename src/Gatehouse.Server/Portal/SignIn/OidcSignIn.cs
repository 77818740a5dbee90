using System.Security.Claims;
using Gatehouse.Server.Observability;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Portal sign-in at the company's OpenID Connect provider: authorization code with PKCE, the ID
/// token checked by the ASP.NET Core handler (signature, issuer, audience, lifetime, nonce). The
/// provider only says who the person is; the organisation file says whether that is a user, so the
/// session it opens is the same cookie a token sign-in opens and is re-checked on every request (ADR 0017).
/// </summary>
internal static class OidcSignIn
{
    public const string Scheme = "GatehouseOidc";
    public const string CallbackPath = "/signin-oidc";

    public static void Add(AuthenticationBuilder authentication)
    {
        authentication.AddOpenIdConnect(Scheme, "OpenID Connect", _ => { });
        authentication.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<OidcSignInOptions>(Configure);
    }

    private static void Configure(OpenIdConnectOptions o, OidcSignInOptions oidc)
    {
        o.SignInScheme = PortalAuthentication.CookieScheme;
        o.CallbackPath = CallbackPath;
        if (!oidc.Enabled)
        {
            // The scheme exists but is never challenged (the sign-in page offers no button and
            // its handler answers 404); a placeholder keeps the handler's option checks quiet.
            o.Authority = "https://oidc.invalid/";
            o.ClientId = "disabled";
            return;
        }

        o.Authority = oidc.Authority!.ToString();
        o.RequireHttpsMetadata = oidc.Authority.Scheme == Uri.UriSchemeHttps;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;

        // The code comes back on a top-level GET, so the correlation and nonce cookies can be
        // SameSite=Lax and work over plain HTTP on loopback; form_post would need SameSite=None.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.Scope.Add("email");
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapUniqueJsonKey(oidc.UserClaim, oidc.UserClaim);
        o.ClaimActions.MapUniqueJsonKey("email", "email");
        o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        o.ProtocolValidator.RequireNonce = true;
        o.TokenValidationParameters.ValidateAudience = true;
        o.TokenValidationParameters.ValidAudience = oidc.ClientId;
        o.Events.OnTicketReceived = TicketReceivedAsync;
        o.Events.OnRemoteFailure = RemoteFailureAsync;
    }

    /// <summary>The provider vouched for someone: map the identity to a current user of the organisation file, or refuse.</summary>
    private static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var oidc = http.RequestServices.GetRequiredService<OidcSignInOptions>();
        var identity = context.Principal!;
        var name = identity.FindFirst(oidc.UserClaim)?.Value?.Trim();
        var subject = identity.FindFirst("sub")?.Value ?? "(no sub)";
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            await RefuseAsync(context, PortalErrors.IdentityClaimMissing, subject);
            return;
        }

        if (oidc.EmailDomain is { } domain)
        {
            var email = identity.FindFirst("email")?.Value;
            var unverified = string.Equals(identity.FindFirst("email_verified")?.Value, "false", StringComparison.OrdinalIgnoreCase);
            if (email is null || unverified || !email.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase))
            {
                await RefuseAsync(context, PortalErrors.IdentityEmailDomain, email ?? name);
                return;
            }
        }

        var store = http.RequestServices.GetRequiredService<IGatehouseStore>();
        if (await store.GetUserAsync(name, http.RequestAborted) is not { } user)
        {
            await RefuseAsync(context, PortalErrors.IdentityNotAUser, name);
            return;
        }

        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        context.Principal = PortalSignIn.Session(user, null, time.GetUtcNow(), context.Properties!);
        context.ReturnUri = PortalSignIn.SafeReturnUrl(context.ReturnUri);
    }

    /// <summary>
    /// The provider's answer did not pass: a wrong audience, issuer or signature, a nonce or state
    /// that does not match, an expired correlation, or an error from the provider. Nobody is signed in.
    /// </summary>
    private static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        Log(http).LogWarning("OpenID Connect sign-in refused from {Address}: {Reason}", http.Connection.RemoteIpAddress, context.Failure?.Message);
        http.RequestServices.GetRequiredService<SecurityMetrics>().Failed(AuthenticationFailure.OidcSignIn);
        context.HandleResponse();
        context.Response.Redirect("/signin/refused?code=" + PortalErrors.IdentityProviderRefused);
        return Task.CompletedTask;
    }

    private static Task RefuseAsync(TicketReceivedContext context, string code, string identity)
    {
        var http = context.HttpContext;
        Log(http).LogWarning("OpenID Connect sign-in refused from {Address}: {Code} for `{Identity}`", http.Connection.RemoteIpAddress, code, identity);
        http.RequestServices.GetRequiredService<SecurityMetrics>().Failed(AuthenticationFailure.OidcSignIn);
        context.HandleResponse();
        var who = RefusedIdentity.Protector(http).Protect(identity, TimeSpan.FromMinutes(10));
        context.Response.Redirect($"/signin/refused?code={code}&who={Uri.EscapeDataString(who)}");
        return Task.CompletedTask;
    }

    private static ILogger Log(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
}

/// <summary>
/// The identity a refusal page names travels in its address, protected (Data Protection, ten
/// minutes) so a crafted link cannot make the page say someone signed in as anything.
/// </summary>
internal static class RefusedIdentity
{
    public static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Gatehouse.Portal.OidcRefusedIdentity").ToTimeLimitedDataProtector();

    public static string? Read(HttpContext http, string? protectedText)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return null;
        }

        try
        {
            return Protector(http).Unprotect(protectedText);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
