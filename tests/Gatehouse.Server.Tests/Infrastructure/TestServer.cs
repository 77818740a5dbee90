using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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

    public static async Task<TestServer> StartAsync(string? postgres = null, string? dataDirectory = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("gatehouse-server-test-").FullName;
        var options = new GatehouseOptions { DataDirectory = dataDirectory, DatabaseConnectionString = postgres, BootstrapToken = BootstrapToken };
        var store = GatehouseStoreFactory.Create(new StorageOptions { DataDirectory = dataDirectory, PostgresConnectionString = postgres }, TimeProvider.System);
        await store.MigrateAsync();
        // Replicas on PostgreSQL must share a key-encryption key for the OAuth signing keys.
        string[] args = postgres is null ? ["--urls", "http://127.0.0.1:0"] : ["--urls", "http://127.0.0.1:0", "--GATEHOUSE_KEY_ENCRYPTION_KEY=" + TestKeyEncryptionKey];
        var app = GatehouseServer.Build(args, options, store);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, dataDirectory, new Uri(address));
    }

    public HttpClient Client(string? token = BootstrapToken)
    {
        var http = new HttpClient { BaseAddress = Url };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

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
        var response = await admin.PostAsJsonAsync("api/v1/tokens", new { kind, subject = user });
        var json = await Json(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["secret"]!.GetValue<string>();
    }

    public static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        var store = _app.Services.GetService<IGatehouseStore>();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
