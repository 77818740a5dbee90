using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Hosting;

public sealed class RouteAuthorizationTests
{
    [Fact]
    public async Task EveryRoute_DeclaresAnExplicitAuthorizationPolicy()
    {
        await using var server = await TestServer.StartAsync();
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        var unprotected = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();
        Assert.True(unprotected.Count == 0, "Routes without an explicit policy: " + string.Join("; ", unprotected));
    }

    [Theory]
    [InlineData("/api/v1/apps")]
    [InlineData("/api/v1/requests")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/tokens")]
    public async Task ApiRoute_WithoutToken_Returns401ProblemDetails(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Client(token: null);

        var response = await anonymous.GetAsync(path);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("GH4001", (await TestServer.Json(response))["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/version")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/metrics")]
    public async Task OperationalRoute_IsAnonymous(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Client(token: null);

        var response = await anonymous.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountRequestsByRoutePattern_NeverByRawPath()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Client();
        await admin.GetAsync("/api/v1/apps/secret-project-name");

        var metrics = await admin.GetStringAsync("/metrics");

        Assert.Contains("gatehouse_http_requests_total{route=\"/api/v1/apps/{app}\",status=\"4xx\"} 1", metrics);
        Assert.Contains("gatehouse_http_request_duration_seconds_bucket{route=\"/api/v1/apps/{app}\",status=\"4xx\",le=\"+Inf\"} 1", metrics);
        Assert.DoesNotContain("secret-project-name", metrics);
    }
}
