using System.Net;
using Gatehouse.Storage;
using Gatehouse.Storage.Notifications;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Notifications;

internal static class NotificationSetup
{
    public static IServiceCollection AddGatehouseNotifications(this IServiceCollection services, IConfiguration config)
    {
        var options = NotificationOptions.Load(config);
        services.AddSingleton(options);
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton(sp => NotificationStoreFactory.For(sp.GetRequiredService<IGatehouseStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new NotificationChannels(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            config, options, sp.GetRequiredService<TimeProvider>()));
        if (options.Enabled)
        {
            services.AddHostedService<NotificationWorker>();
        }

        return services;
    }
}
