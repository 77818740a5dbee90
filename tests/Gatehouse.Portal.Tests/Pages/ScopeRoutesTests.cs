using Gatehouse.Portal.Tests.Infrastructure;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The scope page shows the routes the pushed manifest says the scope protects (examples/acme customers).</summary>
public class ScopeRoutesTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    [Fact]
    public async Task The_scope_page_lists_its_routes_and_says_so_when_there_are_none()
    {
        using var client = fixture.Server.Client();
        await client.SignInWithTokenAsync(fixture.Server.TokenOf("carol"));

        var addresses = await client.GetAsync("/apps/customers/scopes/addresses.write");
        var routes = addresses.Document.QuerySelector("section[aria-labelledby=routes]")!;
        Assert.Equal(
            ["POST /customers/{id}/addresses", "PUT /customers/{id}/addresses/{address}", "DELETE /customers/{id}/addresses/{address}"],
            routes.QuerySelectorAll("li code").Select(c => c.TextContent));

        var orders = await client.GetAsync("/apps/orders/scopes/orders.read");
        var none = orders.Document.QuerySelector("section[aria-labelledby=routes]")!;
        Assert.Empty(none.QuerySelectorAll("li"));
        Assert.Contains("names no HTTP routes", none.TextContent, StringComparison.Ordinal);
    }
}
