using System.Diagnostics;
using System.Text;
using Gatehouse.Bench.Generation;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Server.Demo;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Portal.Bench;

/// <summary>
/// A real server over a real SQLite file holding one organisation, with a signed-in owner and
/// the paths of the pages to time. The data goes in through the store, as pushes and decisions do.
/// </summary>
internal sealed class BenchOrganisation : IAsyncDisposable
{
    private static readonly Actor Bootstrap = new(ActorKind.Bootstrap, "bootstrap");

    private readonly WebApplication _app;
    private readonly string _directory;

    private BenchOrganisation(string name, WebApplication app, string directory, Uri url, string user, string token, IReadOnlyList<(string Page, string Path)> pages)
    {
        Name = name;
        _app = app;
        _directory = directory;
        Url = url;
        User = user;
        Token = token;
        Pages = pages;
    }

    public string Name { get; }

    public Uri Url { get; }

    public string User { get; }

    public string Token { get; }

    public IReadOnlyList<(string Page, string Path)> Pages { get; }

    /// <summary>examples/acme, loaded and decided exactly as <c>serve --demo</c> does.</summary>
    public static async Task<BenchOrganisation> ExampleAsync()
    {
        var (directory, store) = await OpenStoreAsync();
        var users = await DemoSeeder.SeedAsync(store, TimeProvider.System, CancellationToken.None);
        var erin = users.Single(u => u.Name == "erin");
        return await StartAsync($"example ({(await store.ListAppsAsync()).Count} apps)", directory, store, erin.Name, erin.Token, "checkout", "orders", "orders.read");
    }

    /// <summary>The synthetic organisation of bench/Gatehouse.Bench (seed 1), pushed in one upload, a share of staging decided.</summary>
    public static async Task<BenchOrganisation> SyntheticAsync(int apps)
    {
        var timer = Stopwatch.StartNew();
        var (directory, store) = await OpenStoreAsync();
        var generated = OrganisationGenerator.Generate(apps, seed: 1);
        var orgText = ManifestWriter.Organisation(generated);
        var org = ManifestReader.ReadOrganisation("gatehouse.org.yaml", Encoding.UTF8.GetBytes(orgText)).Value ?? throw new InvalidOperationException("generated organisation does not validate");
        Ensure(await store.PushOrganisationAsync(org, orgText, Bootstrap, "bench"));

        // The bootstrap token files no requests: the organisation's first admin pushes the manifests.
        var admin = new Actor(ActorKind.User, org.Admins[0]);
        var uploads = generated.Apps.Select(a =>
        {
            var text = ManifestWriter.Manifest(a);
            var manifest = ManifestReader.ReadManifest($"services/{a.Name}/gatehouse.yaml", Encoding.UTF8.GetBytes(text), org).Value ?? throw new InvalidOperationException($"{a.Name} does not validate");
            return new ManifestUpload(manifest, text);
        }).ToList();
        Ensure(await store.PushAsync(uploads, admin, "bench"));
        Console.Error.WriteLine($"pushed {apps} synthetic manifests in {timer.Elapsed.TotalSeconds:F0} s");

        // Give pages history to show: the first owner of each provider approves staging requests.
        var staging = await store.ListRequestsAsync(new RequestQuery(Environment: "staging", State: RequestState.Pending, Limit: 3000));
        var decided = 0;
        foreach (var request in staging)
        {
            var owners = (await store.GetAppAsync(request.Key.Provider))!.OwnerUsers;
            if (owners.Count > 0 && (await store.DecideAsync(request.Id, new Actor(ActorKind.User, owners[0]), true, "bench", "bench")).Succeeded)
            {
                decided++;
            }
        }

        Console.Error.WriteLine($"decided {decided} staging requests; organisation ready in {timer.Elapsed.TotalSeconds:F0} s");

        // The busiest owner: the one with the most apps, so the dashboard and inbox are at their heaviest.
        var app = generated.Apps[0];
        var team = generated.Teams.First(t => app.Owners.Contains($"team:{t.Name}"));
        var user = team.Members[0];
        var token = Ensure(await store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, user), DateTimeOffset.UtcNow.AddDays(1), "bench", Bootstrap, "bench"));
        var need = app.Needs[0];
        return await StartAsync($"synthetic ({apps} apps)", directory, store, user, token.Secret, app.Name, need.App, need.Scopes[0]);
    }

    private static async Task<(string Directory, IGatehouseStore Store)> OpenStoreAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-portal-bench-").FullName;
        var store = ServerStore.Create(new GatehouseOptions { DataDirectory = directory }, new Gatehouse.Server.OAuth.OAuthOptions(), TimeProvider.System);
        await store.MigrateAsync();
        return (directory, store);
    }

    private static async Task<BenchOrganisation> StartAsync(string name, string directory, IGatehouseStore store, string user, string token, string app, string provider, string scope)
    {
        var options = new GatehouseOptions { DataDirectory = directory, BootstrapToken = "bench-bootstrap-token-0123456789abcdef", LogFormat = "text" };
        var web = GatehouseServer.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--GATEHOUSE_RATE_LIMITS=off"], options, store);
        await web.StartAsync();
        var url = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var request = (await store.ListRequestsAsync(new RequestQuery(Provider: provider, Limit: 1)))[0];
        (string, string)[] pages =
        [
            ("dashboard", "/"),
            ("catalogue", "/apps"),
            ("catalogue, production", "/apps?env=production"),
            ("app", $"/apps/{app}"),
            ("scope", $"/apps/{provider}/scopes/{scope}"),
            ("inbox", "/inbox"),
            ("request", $"/requests/{request.Id}"),
            ("audit log", "/audit"),
            ("audit log, verify now", "/audit?verify=true"),
            ("graph, whole org", "/graph?env=staging"),
            ("graph, one app", $"/graph?env=staging&focus={app}"),
        ];
        return new BenchOrganisation(name, web, directory, url, user, token, pages);
    }

    private static T Ensure<T>(StoreResult<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"{result.ErrorCode}: {result.ErrorMessage}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        var store = _app.Services.GetRequiredService<IGatehouseStore>();
        await _app.DisposeAsync();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
