using Gatehouse.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of Gatehouse token validation.</summary>
public static class GatehouseTokenServiceCollectionExtensions
{
    /// <summary>
    /// Validates Gatehouse access tokens as the default authentication scheme:
    /// <c>services.AddGatehouseTokens(o => { o.Authority = "https://gatehouse.example.com"; o.App = "customers"; o.Environment = "production"; });</c>
    /// </summary>
    public static AuthenticationBuilder AddGatehouseTokens(this IServiceCollection services, Action<GatehouseTokenOptions> configure)
    {
        services.AddAuthorization();
        return services.AddAuthentication(GatehouseTokenDefaults.AuthenticationScheme).AddGatehouseTokens(configure);
    }

    /// <summary>Adds the Gatehouse scheme to an existing authentication setup.</summary>
    public static AuthenticationBuilder AddGatehouseTokens(this AuthenticationBuilder builder, Action<GatehouseTokenOptions> configure)
    {
        builder.Services.TryAddSingleton<GatehouseSigningKeys>();
        builder.Services.TryAddSingleton<GatehouseTokenCache>();
        return builder.AddScheme<GatehouseTokenOptions, GatehouseTokenHandler>(GatehouseTokenDefaults.AuthenticationScheme, configure);
    }
}

/// <summary>Per-endpoint scope requirements.</summary>
public static class GatehouseScopeEndpointExtensions
{
    /// <summary>
    /// Requires a valid Gatehouse token carrying <paramref name="scope"/> (<c>app:scope</c>):
    /// <c>app.MapGet("/profiles/{id}", ...).RequireScope("customers:profile.read");</c>
    /// Call it again to require several scopes.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return builder.RequireAuthorization(new AuthorizationPolicyBuilder(GatehouseTokenDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(GatehouseTokenDefaults.ScopeClaim, scope)
            .Build());
    }
}
