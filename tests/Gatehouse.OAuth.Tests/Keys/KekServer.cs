using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.OAuth.Tests.Keys;

/// <summary>
/// A database that outlives the servers started on it (a SQLite folder, or a PostgreSQL database
/// with an unused folder), so a test can stop a server, rotate the key-encryption key, and start
/// another on the same data. Deleting it removes the folder.
/// </summary>
internal sealed class KekDatabase : IDisposable
{
    public const string Issuer = "https://gatehouse.test";

    private KekDatabase(string directory, string? postgres)
    {
        Directory = directory;
        Postgres = postgres;
    }

    public string Directory { get; }

    public string? Postgres { get; }

    public static KekDatabase Create(string? postgres) => new(System.IO.Directory.CreateTempSubdirectory("gatehouse-kek-test-").FullName, postgres);

    public static string NewKek() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string IdOf(string kek) => KeyEncryption.IdOf(Convert.FromBase64String(kek));

    public GatehouseOptions Options() => new() { DataDirectory = Directory, DatabaseConnectionString = Postgres, BootstrapToken = OAuthTestServer.BootstrapToken };

    /// <summary>A migrated store whose audit key is unwrapped with <paramref name="keks"/> (base64: the current KEK, then previous ones).</summary>
    public async Task<IGatehouseStore> OpenStoreAsync(params string[] keks)
    {
        var kek = new KeyEncryption(Convert.FromBase64String(keks[0]), keks.Skip(1).Select(Convert.FromBase64String));
        var store = GatehouseStoreFactory.Create(new StorageOptions { DataDirectory = Directory, PostgresConnectionString = Postgres }, TimeProvider.System, new Gatehouse.Server.Audit.AuditKeyProtection(kek));
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Runs the real <c>gatehouse</c> executable with this database's variables and <paramref name="environment"/>.</summary>
    public async Task<(int Exit, string Output, string Errors)> GatehouseAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("GATEHOUSE_", StringComparison.Ordinal) && k != "GATEHOUSE_TEST_POSTGRES").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["GATEHOUSE_DATA"] = Directory;
        if (Postgres is not null)
        {
            start.Environment["GATEHOUSE_DATABASE"] = Postgres;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the OS cleans its temp folder.
        }
    }
}

/// <summary>A Gatehouse on loopback over a <see cref="KekDatabase"/>; disposing stops it and leaves the data.</summary>
internal sealed class KekServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IGatehouseStore _store;

    private KekServer(WebApplication app, IGatehouseStore store, Uri url)
    {
        _app = app;
        _store = store;
        Url = url;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server with the given settings (<c>--GATEHOUSE_KEY_ENCRYPTION_KEY=…</c>); a refused start throws its exception.</summary>
    public static async Task<KekServer> StartAsync(KekDatabase database, params string[] settings)
    {
        // The store unwraps the audit key with the KEKs the server is given.
        var store = await database.OpenStoreAsync(LoopbackGatehouse.KeksIn(settings));
        var (app, url) = await LoopbackGatehouse.StartOverAsync(database.Options(), store, [$"--GATEHOUSE_OAUTH_ISSUER={KekDatabase.Issuer}", .. settings]);
        return new KekServer(app, store, url);
    }

    public static string Kek(string kek) => $"--GATEHOUSE_KEY_ENCRYPTION_KEY={kek}";

    public static string Previous(string kek) => $"--GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS={kek}";

    public HttpClient Client(string? bearer) => LoopbackGatehouse.Client(Url, bearer);

    /// <summary>
    /// Uses everything the KEK protects on a fresh database: pushes the test organisation, gives
    /// the admin a personal token, opens a portal session with it, creates an OAuth client and
    /// gets a token signed by the current signing key.
    /// </summary>
    public async Task<KekEvidence> UseAsync()
    {
        await TestOrganisation.PushAsync(_store);
        string root;
        using (var bootstrap = Client(OAuthTestServer.BootstrapToken))
        {
            root = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
        }

        using var admin = Client(root);
        var created = await admin.PostAsJsonAsync("api/v1/clients", new { app = "billing", environment = TestOrganisation.Development });
        var json = await LoopbackGatehouse.Json(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        var client = (json["client"]!["id"]!.GetValue<string>(), json["clientSecret"]!.GetValue<string>());

        var cookies = new CookieContainer();
        await SignInAsync(cookies, root);
        Assert.Equal(HttpStatusCode.OK, await PortalStatusAsync(cookies));
        return new KekEvidence(root, client, cookies, await TokenAsync(client));
    }

    /// <summary>What a user relies on still works here: the session, the old token against the JWKS, new tokens, the audit chain.</summary>
    public async Task AssertStillWorksAsync(KekEvidence evidence)
    {
        Assert.Equal(HttpStatusCode.OK, await PortalStatusAsync(evidence.Cookies));
        await AssertVerifiesAgainstJwksAsync(evidence.Token);
        await AssertVerifiesAgainstJwksAsync(await TokenAsync(evidence.Client));
        using var admin = Client(evidence.RootToken);
        var verify = await LoopbackGatehouse.Json(await admin.GetAsync("api/v1/audit/verify"));
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
    }

    /// <summary>The status of a portal page for the session in <paramref name="cookies"/>: 200 signed in, a redirect to sign-in otherwise.</summary>
    public async Task<HttpStatusCode> PortalStatusAsync(CookieContainer cookies)
    {
        using var http = Browser(cookies);
        return (await http.GetAsync("/inbox")).StatusCode;
    }

    public async Task<string> TokenAsync((string Id, string Secret) client)
    {
        using var http = Client(bearer: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth2/token")
        {
            Content = new StringContent("grant_type=client_credentials&audience=customers", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", TokenClient.BasicValue(client.Id, client.Secret));
        var response = await http.SendAsync(request);
        var body = await LoopbackGatehouse.Json(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public async Task AssertVerifiesAgainstJwksAsync(string token)
    {
        using var http = Client(bearer: null);
        var jwks = new JsonWebKeySet(await http.GetStringAsync("oauth2/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = KekDatabase.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    private async Task SignInAsync(CookieContainer cookies, string token)
    {
        using var http = Browser(cookies);
        var page = await http.GetStringAsync("/signin");
        var antiforgery = Regex.Match(page, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery) });
        var response = await http.PostAsync("/signin?handler=token", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Url };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await ((IAsyncDisposable)_store).DisposeAsync();
    }
}

/// <summary>What a user holds from before a rotation: the admin's token, an OAuth client, a portal session and an access token.</summary>
internal sealed record KekEvidence(string RootToken, (string Id, string Secret) Client, CookieContainer Cookies, string Token);
