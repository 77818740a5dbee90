using System.Net;
using Gatehouse.OAuth.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.AspNetCore;

/// <summary>
/// Gatehouse.AspNetCore's UseGatehouseRoutes: a service enforces the routes of its own
/// gatehouse.yaml, with no scope written per endpoint, against real tokens from a real Gatehouse.
/// </summary>
public sealed class RouteEnforcementTests : IAsyncLifetime
{
    private const string Manifest = """
        apiVersion: gatehouse/v1
        app: customers
        owners: [team:people]
        scopes:
          - name: profile.read
            description: Read profiles
            routes: ["GET /profiles/{id}"]
          - name: profile.write
            description: Change profiles
            routes: ["PUT /profiles/{id}"]
          - name: status.read
            description: Read the status
            routes: ["GET /status"]
        """;

    private OAuthTestServer _gatehouse = null!;
    private WebApplication _service = null!;
    private HttpClient _http = null!;
    private string _token = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _gatehouse = await OAuthTestServer.StartAsync();
        var (id, secret) = await _gatehouse.CreateClientAsync("billing", Development);
        _token = (await TokenClient.TokenAsync(_gatehouse, (id, secret!), "audience=customers")).AccessToken;
        _folder = Directory.CreateTempSubdirectory("gatehouse-routes-").FullName;
        var manifest = Path.Combine(_folder, "gatehouse.yaml");
        await File.WriteAllTextAsync(manifest, Manifest);
        _service = await StartServiceAsync(_gatehouse.Issuer, manifest);
        _http = new HttpClient { BaseAddress = new Uri(_service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.StopAsync();
        await _service.DisposeAsync();
        await _gatehouse.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<WebApplication> StartServiceAsync(string authority, string manifest)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddGatehouseTokens(o =>
        {
            o.Authority = authority;
            o.App = "customers";
            o.Environment = Development;
            o.RequireHttpsMetadata = false;
        });
        var web = builder.Build();
        web.UseAuthentication();
        web.UseGatehouseRoutes(manifest, "/healthz");
        web.UseAuthorization();
        web.MapGet("/profiles/{id}", (string id, HttpContext http) => Results.Ok(new { id, caller = http.User.Identity!.Name }));
        web.MapPut("/profiles/{id}", (string id) => Results.NoContent());
        web.MapGet("/status", () => "up");
        web.MapGet("/admin", () => "secret");
        web.MapGet("/healthz", () => "ok");
        await web.StartAsync();
        return web;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task A_route_whose_scope_the_token_carries_is_served_with_the_caller_as_user()
    {
        using var response = await SendAsync(HttpMethod.Get, "/profiles/7", _token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"caller\":\"billing\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_whose_scope_the_token_lacks_is_403_naming_the_scope()
    {
        using var response = await SendAsync(HttpMethod.Put, "/profiles/7", _token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("scope=\"customers:profile.write\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        using var response = await SendAsync(HttpMethod.Get, "/profiles/7", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_endpoint_no_route_of_the_manifest_covers_is_403_even_with_a_token()
    {
        using var response = await SendAsync(HttpMethod.Get, "/admin", _token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unprotected_path_needs_no_token()
    {
        using var response = await SendAsync(HttpMethod.Get, "/healthz", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_manifest_with_errors_or_of_another_app_stops_the_start()
    {
        var broken = Path.Combine(_folder, "broken.yaml");
        await File.WriteAllTextAsync(broken, Manifest.Replace("GET /status", "GET /status/", StringComparison.Ordinal));
        var other = Path.Combine(_folder, "other.yaml");
        await File.WriteAllTextAsync(other, Manifest.Replace("app: customers", "app: billing", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartServiceAsync(_gatehouse.Issuer, broken));
        Assert.Contains("GH1030", error.Message, StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartServiceAsync(_gatehouse.Issuer, other));
        Assert.Contains("declares app 'billing'", error.Message, StringComparison.Ordinal);
    }
}
