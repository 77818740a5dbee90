using Gatehouse.Server.Hosting;
using Gatehouse.Server.Portal.SignIn;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gatehouse.Server.Portal;

/// <summary>Wires the self-service portal (server-rendered Razor Pages) into the Gatehouse server.</summary>
public static class PortalSetup
{
    public static IServiceCollection AddGatehousePortal(this IServiceCollection services, GatehouseOptions options)
    {
        services.AddSingleton(sp => PortalOptions.Load(sp.GetRequiredService<IConfiguration>(), options));
        services.AddScoped<PortalData>();
        services.AddSingleton<AuditVerificationCache>();

        // Cookie and antiforgery keys live in a folder every replica shares, so any replica can
        // read a session another one opened.
        services.AddDataProtection().SetApplicationName("gatehouse-portal");
        services.AddOptions<KeyManagementOptions>().Configure<PortalOptions, ILoggerFactory>((o, portal, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(Directory.CreateDirectory(portal.KeysDirectory), logs));
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));

        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ProxyForwarding>();
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
            o.Conventions.ConfigureFilter(new PortalResponseFilter());
        });
        PortalAuthentication.Add(services);
        return services;
    }

    public static WebApplication MapGatehousePortal(this WebApplication app)
    {
        // Resolve now so a bad GATEHOUSE_TRUSTED_* value stops the start with its message.
        _ = app.Services.GetRequiredService<PortalOptions>();
        _ = app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
        PortalAssets.Map(app);
        app.MapRazorPages();
        return app;
    }
}
