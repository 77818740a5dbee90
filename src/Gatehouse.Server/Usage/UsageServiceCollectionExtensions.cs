using Gatehouse.Storage;
using Gatehouse.Storage.Usage;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Usage;

internal static class UsageServiceCollectionExtensions
{
    /// <summary>The recorder (one per process), its store and the background flush.</summary>
    public static IServiceCollection AddGatehouseUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(UsageOptions.Load(configuration));
        services.AddSingleton(sp => UsageStoreFactory.For(sp.GetRequiredService<IGatehouseStore>()));
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService<UsageFlusher>();
        return services;
    }
}
