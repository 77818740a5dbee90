using Gatehouse.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Four ways in, one default scheme: the API keeps its bearer tokens (never cookies, so a
/// cross-site form can never call it), the portal uses a session cookie, and a configured
/// reverse proxy may assert the user through a header, and the company's OpenID Connect provider
/// may open a portal session (<see cref="OidcSignIn"/>).
/// </summary>
internal static class PortalAuthentication
{
    public const string PolicyScheme = "Gatehouse";
    public const string CookieScheme = "GatehousePortal";
    public const string TrustedHeaderScheme = "GatehouseTrustedHeader";
    public const string CookieName = "gatehouse.session";

    /// <summary>How long a portal session lasts at most; a token that expires sooner ends it sooner.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static void Add(IServiceCollection services)
    {
        var authentication = services.AddAuthentication();
        authentication
            .AddPolicyScheme(PolicyScheme, "Bearer for /api, portal session otherwise", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.ExpireTimeSpan = SessionLifetime;
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = PortalSessionValidator.ValidateAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, TrustedHeaderHandler>(TrustedHeaderScheme, null);
        OidcSignIn.Add(authentication);

        // Runs after the server's AddAuthentication(Bearer), so the policy scheme becomes the default.
        services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = PolicyScheme;
            o.DefaultChallengeScheme = PolicyScheme;
            o.DefaultForbidScheme = PolicyScheme;
        });
    }

    private static string SelectScheme(HttpContext context)
    {
        // Only the API takes bearer tokens: a portal page authenticated by one would have no
        // portal viewer (issue 9: a 500), so there a bearer header is ignored like any other.
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return BearerTokenHandler.SchemeName;
        }

        var portal = context.RequestServices.GetRequiredService<PortalOptions>();
        if (portal.TrustedHeader is { } header &&
            context.Request.Headers.ContainsKey(header) &&
            portal.IsTrustedProxy(ProxyForwarding.Peer(context)))
        {
            return TrustedHeaderScheme;
        }

        return CookieScheme;
    }
}
