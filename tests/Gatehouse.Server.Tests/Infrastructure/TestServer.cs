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

    /// <summary>On PostgreSQL (or SQLite when null), with settings given as <c>--GATEHOUSE_...=value</c> arguments.</summary>
    public static Task<TestServer> StartOnPostgresWithAsync(string? postgres, params string[] settings) => StartAsync(postgres, null, settings);

    /// <summary>On SQLite, with settings given as <c>--GATEHOUSE_...=value</c> arguments.</summary>
    public static Task<TestServer> StartWithAsync(params string[] settings) => StartAsync(null, null, settings);

    /// <summary>On SQLite, store and server on <paramref name="time"/> (a test's fake clock).</summary>
    public static Task<TestServer> StartOnClockAsync(TimeProvider time) => StartAsync(null, null, [], time);

    private static async Task<TestServer> StartAsync(string? postgres, string? dataDirectory, string[] settings, TimeProvider? time = null)
    {
        (dataDirectory, var store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-server-test-", postgres, dataDirectory, time: time);
        var options = new GatehouseOptions { DataDirectory = dataDirectory, DatabaseConnectionString = postgres, BootstrapToken = BootstrapToken };
        // Replicas on PostgreSQL must share a key-encryption key for the OAuth signing keys.
        string[] args = postgres is null ? settings : [.. settings, "--GATEHOUSE_KEY_ENCRYPTION_KEY=" + TestKeyEncryptionKey];
        var (app, url) = await LoopbackGatehouse.StartAsync(options, store, dataDirectory, time, args);
        return new TestServer(app, dataDirectory, url);
    }

    /// <summary>The personal token of root, the test organisation's admin; set by <see cref="SeedAsync"/>.</summary>
    public string AdminToken { get; private set; } = "";

    public HttpClient Client(string? token = BootstrapToken) => LoopbackGatehouse.Client(Url, token);

    /// <summary>
    /// Pushes the test organisation with the bootstrap token, creates root's personal token, and
    /// pushes the manifests as root (the bootstrap token files no requests).
    /// </summary>
    public Task SeedAsync() => SeedAsync(TestOrganisation.Org);

    /// <summary>The test organisation's apps under <paramref name="organisation"/> (its text), which must keep its teams and admins.</summary>
    public async Task SeedAsync(string organisation)
    {
        using var bootstrap = Client();
        var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = organisation } });
        Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        AdminToken = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");

        using var admin = Client(AdminToken);
        var response = await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Creates a personal or deploy token and returns its secret, with the token <paramref name="by"/>
    /// (default: the bootstrap token for a personal token, root's for a deploy token, since the
    /// bootstrap token creates no deploy tokens).
    /// </summary>
    public async Task<string> TokenForAsync(string subject, string kind = "personal", string? by = null)
    {
        using var creator = Client(by ?? (kind == "deploy" ? AdminToken : BootstrapToken));
        return await LoopbackGatehouse.CreateTokenAsync(creator, kind, subject);
    }

    public static Task<JsonNode> Json(HttpResponseMessage response) => LoopbackGatehouse.Json(response);

    public ValueTask DisposeAsync() => LoopbackGatehouse.StopAsync(_app, _app.Services.GetRequiredService<IGatehouseStore>(), DataDirectory);
}
