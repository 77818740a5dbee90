using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Testing;

/// <summary>
/// What every real-server test harness shares (linked into each test project): a Gatehouse built
/// by <see cref="GatehouseServer.Build"/> on 127.0.0.1 with a random port over a migrated store
/// in its own temp folder, clients for it, and a stop that releases the store and deletes the folder.
/// </summary>
internal static class LoopbackGatehouse
{
    /// <summary>The key-encryption key of test stores on PostgreSQL (32 bytes in base64, a test value, not a secret).</summary>
    public const string TestKeyEncryptionKey = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

    /// <summary>
    /// A migrated store in <paramref name="dataDirectory"/> (a new temp folder when null), or on
    /// <paramref name="postgres"/>; its audit key is wrapped as `serve` wraps it: for SQLite under
    /// the KEK generated in the folder, for PostgreSQL under <see cref="TestKeyEncryptionKey"/>;
    /// under <paramref name="kek"/> (base64) when the server will be given that one.
    /// </summary>
    /// <param name="time">The store's clock (a test's fake one, given to the server too); the system clock by default.</param>
    public static async Task<(string DataDirectory, IGatehouseStore Store)> CreateStoreAsync(string prefix, string? postgres = null, string? dataDirectory = null, string? kek = null, TimeProvider? time = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory(prefix).FullName;
        var configured = kek ?? (postgres is null ? null : TestKeyEncryptionKey);
        var keys = new Gatehouse.Server.OAuth.OAuthOptions { KeyEncryptionKey = configured is null ? null : Convert.FromBase64String(configured) };
        var store = ServerStore.Create(new GatehouseOptions { DataDirectory = dataDirectory, DatabaseConnectionString = postgres }, keys, time ?? TimeProvider.System);
        await store.MigrateAsync();
        return (dataDirectory, store);
    }

    /// <summary>The KEK a server is given in <paramref name="settings"/> (<c>--GATEHOUSE_KEY_ENCRYPTION_KEY=…</c>), if any.</summary>
    public static string? KekIn(IEnumerable<string> settings) => KeksIn(settings).FirstOrDefault();

    /// <summary>The KEKs (base64) a server is given in <paramref name="settings"/>: the current one, then any previous ones.</summary>
    public static string[] KeksIn(IEnumerable<string> settings) =>
        [.. settings.Where(s => s.StartsWith("--GATEHOUSE_KEY_ENCRYPTION_KEY=", StringComparison.Ordinal))
            .Concat(settings.Where(s => s.StartsWith("--GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS=", StringComparison.Ordinal)))
            .Select(s => s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..])];

    /// <summary>Builds and starts the server on a free loopback port; on failure releases the store and its folder.</summary>
    public static Task<(WebApplication App, Uri Url)> StartAsync(GatehouseOptions options, IGatehouseStore store, string dataDirectory, params string[] args) =>
        StartAsync(options, store, dataDirectory, null, args);

    /// <summary>As above, the server on <paramref name="time"/> (the clock its store was given).</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(GatehouseOptions options, IGatehouseStore store, string dataDirectory, TimeProvider? time, params string[] args)
    {
        try
        {
            return await StartOverAsync(options, store, time, args);
        }
        catch
        {
            DeleteFolder(dataDirectory); // StartOverAsync released the server and the store
            throw;
        }
    }

    /// <summary>
    /// Builds and starts the server on a free loopback port over data that outlives it (a test
    /// restarts on it); on failure releases the server and the store and keeps the data.
    /// </summary>
    public static Task<(WebApplication App, Uri Url)> StartOverAsync(GatehouseOptions options, IGatehouseStore store, params string[] args) =>
        StartOverAsync(options, store, null, args);

    private static async Task<(WebApplication App, Uri Url)> StartOverAsync(GatehouseOptions options, IGatehouseStore store, TimeProvider? time, string[] args)
    {
        WebApplication? app = null;
        try
        {
            app = GatehouseServer.Build(["--urls", "http://127.0.0.1:0", .. args], options, store, time);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return (app, new Uri(address));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the server (when there is one), releases the store and deletes its folder.</summary>
    public static async ValueTask StopAsync(WebApplication? app, IGatehouseStore store, string dataDirectory)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        DeleteFolder(dataDirectory);
    }

    private static void DeleteFolder(string dataDirectory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the OS cleans its temp folder.
        }
    }

    public static HttpClient Client(Uri url, string? bearer)
    {
        var http = new HttpClient { BaseAddress = url };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return http;
    }

    /// <summary>Creates a personal or deploy token through the API (as <paramref name="admin"/>) and returns its secret.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient admin, string kind, string subject)
    {
        var response = await admin.PostAsJsonAsync("api/v1/tokens", new { kind, subject });
        var json = await Json(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["secret"]!.GetValue<string>();
    }

    public static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
