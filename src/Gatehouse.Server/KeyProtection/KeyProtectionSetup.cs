using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;
using Gatehouse.Storage.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gatehouse.Server.KeyProtection;

internal static class KeyProtectionSetup
{
    /// <summary>Data Protection's name for this application: the same on every replica, wherever it is installed.</summary>
    public const string ApplicationName = "gatehouse";

    /// <summary>
    /// ASP.NET Core Data Protection (portal cookies, anti-forgery) with its key ring in the
    /// Gatehouse database, each key wrapped under the key-encryption key; and the start-up check
    /// (and re-wrap) of every KEK-wrapped key, which runs before any other hosted service.
    /// </summary>
    public static IServiceCollection AddGatehouseKeyProtection(this IServiceCollection services)
    {
        services.AddSingleton(sp => WrappedKeyStoreFactory.For(sp.GetRequiredService<IGatehouseStore>()));
        // First of all hosted services (AddAuthentication has already registered Data Protection's,
        // which loads the key ring): nothing reads a stored key before this check.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyProtectionStartup>());
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IWrappedKeyStore>(), sp.GetRequiredService<TimeProvider>());
            o.XmlEncryptor = new KekXmlEncryptor(sp.GetRequiredService<KeyEncryption>());
        }));
        return services;
    }
}
