using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Gateway;

internal static class ForwardAuthServiceCollectionExtensions
{
    /// <summary>The in-memory state forward-auth answers from; <c>GATEHOUSE_FORWARD_AUTH_REFRESH_MS</c> sets how fresh.</summary>
    public static IServiceCollection AddGatehouseForwardAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ForwardAuthOptions.Load(configuration));
        services.AddSingleton<GatewayState>();
        services.AddSingleton<VerifiedTokenCache>();
        return services;
    }
}
