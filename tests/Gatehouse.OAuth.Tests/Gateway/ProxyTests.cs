using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>
/// nginx (auth_request) and Caddy (forward_auth) in front of a sample upstream, started on
/// loopback, asking Gatehouse's forward-auth: what reaches the upstream and what the caller gets.
/// </summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private GatewayFixture _gateway = null!;
    private WebApplication _upstream = null!;
    private Uri _upstreamUrl = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFixture.StartAsync();
        (_upstream, _upstreamUrl) = await Proxies.StartUpstreamAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [ProxyFact("nginx")]
    public async Task Nginx_auth_request_enforces_routes_scopes_and_revocation()
    {
        await using var nginx = await StartNginxAsync(Development);
        await AssertScenariosAsync(nginx, wrongAudienceProxy: await StartNginxAsync(Production));
    }

    [ProxyFact("caddy")]
    public async Task Caddy_forward_auth_enforces_routes_scopes_and_revocation()
    {
        await using var caddy = await StartCaddyAsync(Development);
        await AssertScenariosAsync(caddy, wrongAudienceProxy: await StartCaddyAsync(Production));
    }

    private async Task AssertScenariosAsync(RunningProxy proxy, RunningProxy wrongAudienceProxy)
    {
        using var http = new HttpClient { BaseAddress = proxy.Url };
        try
        {
            // Allowed: the upstream sees the calling app and its scopes, never what the caller claimed.
            var allowed = await SendAsync(http, HttpMethod.Get, "/profiles/42", _gateway.Token, forged: "admin");
            Assert.True(allowed.Status == HttpStatusCode.OK, $"{allowed.Status} {allowed.Body}\n{proxy.Output}");
            var echoed = JsonNode.Parse(allowed.Body)!;
            Assert.Equal("/profiles/42", echoed["path"]!.GetValue<string>());
            Assert.Equal("billing", echoed["app"]!.GetValue<string>());
            Assert.Equal("customers:profile.read customers:status.read", echoed["scopes"]!.GetValue<string>());

            // Unauthenticated, and a forged identity header without a token.
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/profiles/42", token: null, forged: "billing")).Status);

            // Wrong audience: the same token at the production gateway of customers.
            using (var production = new HttpClient { BaseAddress = wrongAudienceProxy.Url })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(production, HttpMethod.Get, "/profiles/42", _gateway.Token)).Status);
            }

            // Scope not granted (profile.write waits for two owners), and a route no scope protects.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(http, HttpMethod.Put, "/profiles/42", _gateway.Token)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(http, HttpMethod.Get, "/admin/users", _gateway.Token)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(http, HttpMethod.Get, "/status/..%2fadmin", _gateway.Token)).Status);

            // Revoked: the token issued before the revocation no longer opens the route.
            await _gateway.RevokeGrantAsync("profile.read");
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(http, HttpMethod.Get, "/profiles/42", _gateway.Token)).Status);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/status", _gateway.Token)).Status);
        }
        finally
        {
            await wrongAudienceProxy.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? token, string? forged = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        if (forged is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Gatehouse-App", forged);
            request.Headers.TryAddWithoutValidation("X-Gatehouse-Scopes", "customers:everything");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<RunningProxy> StartNginxAsync(string environment)
    {
        var nginx = Proxies.Find("nginx") ?? throw new InvalidOperationException("nginx is not installed");
        var prefix = Directory.CreateTempSubdirectory("gatehouse-nginx-").FullName;
        var port = Proxies.FreePort();
        var conf = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, ProxyConfigs.NginxMain(prefix, ProxyConfigs.NginxServer(port, new Uri(_gateway.Server.Issuer), _upstreamUrl, "customers", environment)));
        return await Proxies.StartAsync(nginx, ["-p", prefix, "-c", conf, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;"], port, prefix);
    }

    private async Task<RunningProxy> StartCaddyAsync(string environment)
    {
        var caddy = Proxies.Find("caddy") ?? throw new InvalidOperationException("caddy is not installed");
        var folder = Directory.CreateTempSubdirectory("gatehouse-caddy-").FullName;
        var port = Proxies.FreePort();
        var file = Path.Combine(folder, "Caddyfile");
        await File.WriteAllTextAsync(file, ProxyConfigs.Caddyfile(port, new Uri(_gateway.Server.Issuer), _upstreamUrl, "customers", environment));
        return await Proxies.StartAsync(caddy, ["run", "--config", file, "--adapter", "caddyfile"], port, folder, CaddyEnvironment(folder));
    }

    internal static Dictionary<string, string> CaddyEnvironment(string folder) => new()
    {
        ["HOME"] = folder,
        ["XDG_DATA_HOME"] = Path.Combine(folder, "data"),
        ["XDG_CONFIG_HOME"] = Path.Combine(folder, "config"),
    };
}
