using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// A real Gatehouse server on 127.0.0.1 (a random port) over a real store: a SQLite file in a
/// temp folder, or the PostgreSQL database given. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string BootstrapToken = "test-bootstrap-token-0123456789abcdef";

    /// <summary>32 bytes in base64, shared by every test replica (a test value, not a secret).</summary>
    public const string TestKeyEncryptionKey = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, string dataDirectory, Uri url)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Url = url;
    }

    public string DataDirectory { get; }

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestServer> StartAsync(string? postgres = null, string? dataDirectory = null) => StartAsync(postgres, dataDirectory, []);

    /// <summary>On SQLite, with settings given as <c>--GATEHOUSE_...=value</c> arguments.</summary>
    public static Task<TestServer> StartWithAsync(params string[] settings) => StartAsync(null, null, settings);

    private static async Task<TestServer> StartAsync(string? postgres, string? dataDirectory, string[] settings)
    {
        (dataDirectory, var store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-server-test-", postgres, dataDirectory);
        var options = new GatehouseOptions { DataDirectory = dataDirectory, DatabaseConnectionString = postgres, BootstrapToken = BootstrapToken };
        // Replicas on PostgreSQL must share a key-encryption key for the OAuth signing keys.
        string[] args = postgres is null ? settings : [.. settings, "--GATEHOUSE_KEY_ENCRYPTION_KEY=" + TestKeyEncryptionKey];
        var (app, url) = await LoopbackGatehouse.StartAsync(options, store, dataDirectory, args);
        return new TestServer(app, dataDirectory, url);
    }

    public HttpClient Client(string? token = BootstrapToken) => LoopbackGatehouse.Client(Url, token);

    /// <summary>Pushes the test organisation and its manifests as the bootstrap admin.</summary>
    public async Task SeedAsync()
    {
        using var admin = Client();
        var body = new
        {
            organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org },
            manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }),
        };
        var response = await admin.PostAsJsonAsync("api/v1/push", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a personal token for a user of the organisation and returns its secret.</summary>
    public async Task<string> TokenForAsync(string user, string kind = "personal")
    {
        using var admin = Client();
        return await LoopbackGatehouse.CreateTokenAsync(admin, kind, user);
    }

    public static Task<JsonNode> Json(HttpResponseMessage response) => LoopbackGatehouse.Json(response);

    public ValueTask DisposeAsync() => LoopbackGatehouse.StopAsync(_app, _app.Services.GetRequiredService<IGatehouseStore>(), DataDirectory);
}
