using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.OAuth.Tests.Discovery;

public sealed class DiscoveryTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metadata_NamesTheIssuerEndpointsAndMethods()
    {
        using var anonymous = _server.Client(bearer: null);

        var metadata = JsonNode.Parse(await anonymous.GetStringAsync(".well-known/oauth-authorization-server"))!;

        Assert.Equal(_server.Issuer, metadata["issuer"]!.GetValue<string>());
        Assert.Equal(_server.Issuer + "/oauth2/token", metadata["token_endpoint"]!.GetValue<string>());
        Assert.Equal(_server.Issuer + "/oauth2/jwks", metadata["jwks_uri"]!.GetValue<string>());
        Assert.Equal(_server.Issuer + "/oauth2/introspect", metadata["introspection_endpoint"]!.GetValue<string>());
        Assert.Equal(["client_credentials"], metadata["grant_types_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"],
            metadata["token_endpoint_auth_methods_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Jwks_PublishesTheSigningKey_WithoutPrivateParts()
    {
        using var anonymous = _server.Client(bearer: null);

        var keys = JsonNode.Parse(await anonymous.GetStringAsync("oauth2/jwks"))!["keys"]!.AsArray();

        var key = Assert.Single(keys)!;
        Assert.Equal("EC", key["kty"]!.GetValue<string>());
        Assert.Equal("ES256", key["alg"]!.GetValue<string>());
        Assert.Equal("sig", key["use"]!.GetValue<string>());
        Assert.Null(key["d"]);
    }

    [Fact]
    public void OAuthRoutes_AreExplicitlyAnonymous_AndClientAndDecisionRoutesRequireAuthorization()
    {
        var endpoints = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        bool Anonymous(string pattern) => endpoints.Where(e => e.RoutePattern.RawText == pattern).All(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null);

        Assert.True(Anonymous("/oauth2/token"));
        Assert.True(Anonymous("/oauth2/introspect"));
        Assert.True(Anonymous("/oauth2/jwks"));
        Assert.True(Anonymous("/.well-known/oauth-authorization-server"));
        var protectedRoutes = endpoints.Where(e => e.RoutePattern.RawText!.Contains("/clients") || e.RoutePattern.RawText!.Contains("/decisions")).ToList();
        Assert.NotEmpty(protectedRoutes);
        Assert.All(protectedRoutes, e => Assert.NotEmpty(e.Metadata.GetOrderedMetadata<IAuthorizeData>()));
    }
}
