using Gatehouse.Server.Hosting;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.OAuth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.Server.OAuth;

public static class OAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers the token, introspection and client services. Settings come from
    /// <paramref name="configuration"/> (environment variables and arguments); a bad value stops
    /// the start with a message naming the variable.
    /// </summary>
    public static IServiceCollection AddGatehouseOAuth(this IServiceCollection services, GatehouseOptions server, IConfiguration configuration)
    {
        var options = OAuthOptionsLoader.Load(configuration);
        services.AddSingleton(options);
        services.AddSingleton(KeyEncryption.Resolve(options, server));
        services.AddSingleton(sp => OAuthStoreFactory.For(sp.GetRequiredService<Storage.IGatehouseStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KeyRing>();
        services.AddSingleton<OAuthUrls>();
        services.AddSingleton<AccessCache>();
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<Clients.ClientCommands>();
        services.AddHostedService<OAuthStartup>();
        return services;
    }
}

/// <summary>
/// Loads (on a new database: creates) the signing keys before the server takes requests, so a
/// wrong key-encryption key stops the start instead of the first token request.
/// </summary>
internal sealed class OAuthStartup(KeyRing keys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await keys.CurrentAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
