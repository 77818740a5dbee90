using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Hosting;

[Collection(Gatehouse.Testing.PrometheusText.Collection)]
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
        (string, string)[] series = [("http_route", "/api/v1/apps/{app}"), ("http_response_status_code", "404")];
        var before = await Gatehouse.Testing.PrometheusText.ScrapeAsync(admin);
        Assert.Equal(404, (int)(await admin.GetAsync("/api/v1/apps/secret-project-name")).StatusCode);

        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(admin);

        double Delta(string name, params (string, string)[] more) =>
            Gatehouse.Testing.PrometheusText.Value(metrics, name, [.. series, .. more]) - Gatehouse.Testing.PrometheusText.Value(before, name, [.. series, .. more]);
        Assert.Equal(1, Delta("http_server_request_duration_seconds_count"));
        Assert.Equal(1, Delta("http_server_request_duration_seconds_bucket", ("le", "+Inf")));
        Assert.DoesNotContain("secret-project-name", metrics);
    }
}
