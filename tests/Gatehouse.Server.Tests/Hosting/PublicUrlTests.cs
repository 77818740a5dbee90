using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>The server's identity is configured, or derived from --urls once at start; never taken from a request (issue 9).</summary>
public sealed class PublicUrlTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://127.0.0.1:8080;http://10.0.0.5:8080")]
    public void ListeningWithoutOneHost_AndNoPublicUrl_RefusesToStart(string urls)
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => PublicUrl.Load(Config(("urls", urls)), demo: false));

        Assert.Contains("set GATEHOUSE_PUBLIC_URL", e.Message);
        Assert.Contains(urls, e.Message);
    }

    [Fact]
    public void ListeningEverywhere_WithAPublicUrl_AcceptsItsHostAndNoOther()
    {
        var settings = PublicUrl.Load(Config(("urls", "http://0.0.0.0:8080"), ("GATEHOUSE_PUBLIC_URL", "https://Gatehouse.Example.com/")), demo: false);

        Assert.Equal("https://gatehouse.example.com", settings.Configured);
        Assert.Equal(["gatehouse.example.com"], settings.AllowedHosts);
        Assert.False(settings.AnyHost);
    }

    [Fact]
    public void TheIssuer_WithoutAPublicUrl_NamesTheHost()
    {
        var settings = PublicUrl.Load(Config(("urls", "http://0.0.0.0:8080"), ("GATEHOUSE_OAUTH_ISSUER", "https://id.example.com"), ("GATEHOUSE_ALLOWED_HOSTS", "gatehouse.internal, *.pods.local")), demo: false);

        Assert.Equal("https://id.example.com", settings.Configured);
        Assert.Equal(["id.example.com", "gatehouse.internal", "*.pods.local"], settings.AllowedHosts);
    }

    [Fact]
    public void ALoopbackListenAddress_AcceptsEveryLoopbackName()
    {
        var settings = PublicUrl.Load(Config(("urls", "http://127.0.0.1:5080")), demo: false);

        Assert.Null(settings.Configured);
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], settings.AllowedHosts);
    }

    [Fact]
    public void TheDemo_ListeningEverywhere_AcceptsAnyHost()
    {
        Assert.True(PublicUrl.Load(Config(("urls", "http://0.0.0.0:5080")), demo: true).AnyHost);
    }

    [Theory]
    [InlineData("GATEHOUSE_PUBLIC_URL", "gatehouse.example.com")]
    [InlineData("GATEHOUSE_PUBLIC_URL", "https://gatehouse.example.com/gatehouse")]
    [InlineData("GATEHOUSE_PUBLIC_URL", "ftp://gatehouse.example.com")]
    [InlineData("GATEHOUSE_ALLOWED_HOSTS", "https://gatehouse.example.com")]
    public void BadValues_AreRefused_NamingTheVariable(string name, string value)
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => PublicUrl.Load(Config(("urls", "http://127.0.0.1:5080"), (name, value)), demo: false));

        Assert.Contains(name, e.Message);
    }

    [Fact]
    public async Task ARequestWithAForgedHost_IsRefusedWithProblemDetails_AndProbesStillAnswer()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Client(token: null);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "api/v1/apps");
        forged.Headers.Host = "evil.example";
        var refused = await http.SendAsync(forged);
        using var probe = new HttpRequestMessage(HttpMethod.Get, "readyz");
        probe.Headers.Host = "10.0.0.7:5080";
        var ready = await http.SendAsync(probe);

        Assert.Equal(400, (int)refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("GH4005", problem["code"]!.GetValue<string>());
        Assert.Contains(server.Url.ToString().TrimEnd('/'), problem["detail"]!.GetValue<string>());
        Assert.Equal(200, (int)ready.StatusCode);
    }

    [Fact]
    public async Task AHostWithAMalformedPort_IsRefused_NotA500()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Client(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/apps");
        request.Headers.TryAddWithoutValidation("Host", "127.0.0.1:port");

        var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
