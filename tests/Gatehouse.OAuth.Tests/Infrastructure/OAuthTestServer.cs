using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.OAuth.Tests.Infrastructure;

/// <summary>
/// A real Gatehouse on 127.0.0.1 (random port) over a real SQLite file in a temp folder, with the
/// test organisation pushed. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class OAuthTestServer : IAsyncDisposable
{
    public const string BootstrapToken = "oauth-test-bootstrap-token-0123456789";

    private readonly WebApplication _app;
    private string? _adminToken;

    private OAuthTestServer(WebApplication app, string dataDirectory, string issuer)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Issuer = issuer;
    }

    public string DataDirectory { get; }

    /// <summary>The base URL, which is also the issuer (no GATEHOUSE_OAUTH_ISSUER set).</summary>
    public string Issuer { get; }

    public IGatehouseStore Store => _app.Services.GetRequiredService<IGatehouseStore>();

    public IServiceProvider Services => _app.Services;

    public static Task<OAuthTestServer> StartAsync(params string[] settings) => StartAsync(postgres: null, settings);

    /// <summary>On PostgreSQL: several may share one database, as replicas do.</summary>
    public static Task<OAuthTestServer> StartOnPostgresAsync(string postgres, params string[] settings) => StartAsync(postgres, settings);

    /// <summary>Store and server on <paramref name="time"/>; on PostgreSQL when <paramref name="postgres"/> is given (replicas share it, and the clock).</summary>
    public static Task<OAuthTestServer> StartOnClockAsync(TimeProvider time, string? postgres, params string[] settings) => StartAsync(postgres, settings, time);

    private static async Task<OAuthTestServer> StartAsync(string? postgres, string[] settings, TimeProvider? time = null)
    {
        var (dataDirectory, store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-oauth-test-", postgres, kek: LoopbackGatehouse.KekIn(settings), time: time);
        await TestOrganisation.PushAsync(store);
        var options = new GatehouseOptions { DataDirectory = dataDirectory, DatabaseConnectionString = postgres, BootstrapToken = BootstrapToken };
        var (app, url) = await LoopbackGatehouse.StartAsync(options, store, dataDirectory, time, settings);
        return new OAuthTestServer(app, dataDirectory, url.ToString().TrimEnd('/'));
    }

    public HttpClient Client(string? bearer = BootstrapToken) => LoopbackGatehouse.Client(new Uri(Issuer), bearer);

    /// <summary>The personal token of root, the organisation's admin: the bootstrap token creates no clients or deploy tokens.</summary>
    public async Task<string> AdminTokenAsync() => _adminToken ??= await PersonalTokenAsync("root");

    /// <summary>Creates a client through the API as the admin root; returns its id and secret (or kid).</summary>
    public async Task<(string Id, string? Secret)> CreateClientAsync(string app, string environment, object? jwk = null)
    {
        using var admin = Client(await AdminTokenAsync());
        var response = await admin.PostAsJsonAsync("api/v1/clients", new { app, environment, authMethod = jwk is null ? "client_secret" : "private_key_jwt", jwk });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, json.ToJsonString());
        return (json["client"]!["id"]!.GetValue<string>(), json["clientSecret"]?.GetValue<string>());
    }

    public async Task<string> DeployTokenAsync(string app)
    {
        using var admin = Client(await AdminTokenAsync());
        return await LoopbackGatehouse.CreateTokenAsync(admin, "deploy", app);
    }

    public async Task<string> PersonalTokenAsync(string user)
    {
        using var admin = Client();
        return await LoopbackGatehouse.CreateTokenAsync(admin, "personal", user);
    }

    public ValueTask DisposeAsync() => LoopbackGatehouse.StopAsync(_app, Store, DataDirectory);
}
