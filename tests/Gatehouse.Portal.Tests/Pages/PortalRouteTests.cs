using Gatehouse.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Portal.Tests.Pages;

public class PortalRouteTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    [Fact]
    public void Every_portal_route_declares_who_may_see_it_and_only_sign_in_and_the_stylesheet_are_anonymous()
    {
        var endpoints = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/api", StringComparison.Ordinal) && !raw.StartsWith("api", StringComparison.Ordinal))
            .ToList();

        var undeclared = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0);
        Assert.Empty(undeclared.Select(e => e.RoutePattern.RawText));
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
        Assert.Contains("signin", anonymous);
        Assert.Contains("assets/portal.css", anonymous);
        Assert.DoesNotContain("inbox", anonymous);
        Assert.DoesNotContain("requests/{id:long}", anonymous);
    }
}
