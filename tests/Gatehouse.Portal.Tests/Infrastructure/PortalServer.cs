using Gatehouse.Core.Access;
using Gatehouse.Server.Demo;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;

namespace Gatehouse.Portal.Tests.Infrastructure;

/// <summary>
/// A real Gatehouse server on 127.0.0.1 (random port) over a real SQLite file in a temp folder,
/// loaded with the example organisation exactly as <c>serve --demo</c> loads it: development
/// granted by policy, staging mostly decided, production waiting in owners' inboxes.
/// </summary>
public sealed class PortalServer : IAsyncDisposable
{
    public const string BootstrapToken = "portal-test-bootstrap-token-0123456789";

    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _tokens;

    private PortalServer(WebApplication app, IGatehouseStore store, string dataDirectory, Uri url, Dictionary<string, string> tokens)
    {
        _app = app;
        Store = store;
        DataDirectory = dataDirectory;
        Url = url;
        _tokens = tokens;
    }

    public IGatehouseStore Store { get; }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, StorageOptions.SqliteFileName);

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public IReadOnlyCollection<string> Users => _tokens.Keys;

    /// <summary>The personal token the seeder created for a demo user.</summary>
    public string TokenOf(string user) => _tokens[user];

    public static Task<PortalServer> StartAsync(bool demo = false, params string[] args) => StartAsync(demo, null, args);

    /// <summary>The example organisation on <paramref name="time"/>, a test's clock shared by store and server.</summary>
    public static Task<PortalServer> StartOnClockAsync(TimeProvider time) => StartAsync(false, time, []);

    private static async Task<PortalServer> StartAsync(bool demo, TimeProvider? time, string[] args)
    {
        var (dataDirectory, store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-portal-test-", time: time);
        var users = await DemoSeeder.SeedAsync(store, time ?? TimeProvider.System, CancellationToken.None);
        var options = new GatehouseOptions { DataDirectory = dataDirectory, BootstrapToken = BootstrapToken, Demo = demo };
        var (app, url) = await LoopbackGatehouse.StartAsync(options, store, dataDirectory, time, args);
        return new PortalServer(app, store, dataDirectory, url, users.ToDictionary(u => u.Name, u => u.Token));
    }

    public PortalClient Client() => new(Url);

    /// <summary>A pending production request nobody has voted on, for a scope with one-owner approval.</summary>
    public async Task<(AccessRequest Request, IReadOnlyList<string> Owners)> PendingRequestAsync(Func<AccessRequest, IReadOnlyList<string>, bool>? where = null)
    {
        var pending = await Store.ListRequestsAsync(new RequestQuery(Environment: "production", State: RequestState.Pending, Limit: 5000));
        foreach (var request in pending.OrderBy(r => r.Id))
        {
            var owners = (await Store.GetAppAsync(request.Key.Provider))!.OwnerUsers;
            if (request.Votes.Count == 0 && owners.Count > 0 && (where?.Invoke(request, owners) ?? request.RequiredApproval == Core.Manifests.ApprovalMode.Owner))
            {
                return (request, owners);
            }
        }

        throw new InvalidOperationException("the example organisation has no pending request of that kind");
    }

    /// <summary>A user of the organisation who neither owns the provider nor administers anything.</summary>
    public Task<string> OutsiderForAsync(AccessRequest request) => OutsiderForAsync(request.Key.Provider);

    public async Task<string> OutsiderForAsync(string provider)
    {
        var owners = (await Store.GetAppAsync(provider))!.OwnerUsers;
        foreach (var user in Users.Order(StringComparer.Ordinal))
        {
            if (!owners.Contains(user) && await Store.GetUserAsync(user) is { IsAdmin: false })
            {
                return user;
            }
        }

        throw new InvalidOperationException("every user owns this app");
    }

    public ValueTask DisposeAsync() => LoopbackGatehouse.StopAsync(_app, Store, DataDirectory);
}

/// <summary>One server per test class (xunit class fixture), seeded once.</summary>
public sealed class PortalServerFixture : IAsyncLifetime
{
    public PortalServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PortalServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
