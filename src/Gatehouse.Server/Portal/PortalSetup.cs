using Gatehouse.Server.Portal.SignIn;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Portal;

/// <summary>Wires the self-service portal (server-rendered Razor Pages) into the Gatehouse server.</summary>
public static class PortalSetup
{
    public static IServiceCollection AddGatehousePortal(this IServiceCollection services)
    {
        services.AddSingleton(sp => PortalOptions.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => OidcSignInOptions.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<PortalData>();
        services.AddSingleton<AuditVerificationCache>();
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ProxyForwarding>();

        // Cookies and anti-forgery tokens use ASP.NET Core Data Protection, whose key ring lives
        // in the database under the key-encryption key (KeyProtection/KeyProtectionSetup.cs): any
        // replica reads a session another one opened, and sessions outlive restarts.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "gatehouse.antiforgery";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__RequestVerificationToken";
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Portal/Pages";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignInRefused");
            o.Conventions.ConfigureFilter(new PortalResponseFilter());
        });
        PortalAuthentication.Add(services);
        return services;
    }

    public static WebApplication MapGatehousePortal(this WebApplication app)
    {
        // Resolve now so a bad GATEHOUSE_TRUSTED_* or GATEHOUSE_OIDC_* value or a missing key stops the start with its message.
        _ = app.Services.GetRequiredService<PortalOptions>();
        _ = app.Services.GetRequiredService<OidcSignInOptions>();
        _ = app.Services.GetRequiredService<IDataProtectionProvider>();
        PortalAssets.Map(app);
        app.MapRazorPages();
        return app;
    }
}
