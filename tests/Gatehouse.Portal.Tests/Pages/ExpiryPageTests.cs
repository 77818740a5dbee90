using Gatehouse.Core.Access;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal;
using Gatehouse.Storage;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The portal lists grants ending soon and shows an ended one as expired (docs/adr/0023-grant-lifetime-and-expiry.md).</summary>
public sealed class ExpiryPageTests : IAsyncLifetime
{
    private readonly Clock _time = new(DateTimeOffset.UtcNow);
    private PortalServer _server = null!;

    public async Task InitializeAsync() => _server = await PortalServer.StartOnClockAsync(_time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_grant_ending_soon_is_on_the_owners_dashboard_and_shows_as_expired_after_its_end()
    {
        var (request, owners) = await _server.PendingRequestAsync();
        var key = request.Key;
        var consumer = (await _server.Store.GetAppAsync(key.Consumer))!;
        var until = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(3);
        var manifest = consumer.Manifest with { Needs = [.. consumer.Manifest.Needs.Select(n => n.App == key.Provider ? n with { Until = until } : n)] };
        var admin = await AdminAsync();
        var pushed = await _server.Store.PushAsync([new ManifestUpload(manifest, consumer.SourceText + $"\n# until {until:yyyy-MM-dd}\n")], new Actor(ActorKind.User, admin), null);
        Assert.True(pushed.Succeeded, pushed.ErrorMessage);
        var decided = await _server.Store.DecideAsync(request.Id, new Actor(ActorKind.User, owners[0]), true, "for the migration", null);
        Assert.True(decided.Succeeded, decided.ErrorMessage);
        using var client = _server.Client();
        await client.SignInWithTokenAsync(_server.TokenOf(owners[0]));

        var dashboard = await client.GetAsync("/");
        var rows = dashboard.Document.QuerySelectorAll("table[aria-labelledby=ending] tbody tr").Select(r => r.TextContent).ToList();
        _time.Now = new DateTimeOffset(until.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await client.SignInWithTokenAsync(_server.TokenOf(owners[0])); // the session cookie has aged on the same clock
        var after = await client.GetAsync("/");
        var scope = await client.GetAsync(PortalHtml.ScopeUrl(key.Provider, key.Scope));

        Assert.Contains($"Hello, {owners[0]}", after.Text, StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains(key.Consumer, StringComparison.Ordinal) && r.Contains(key.ScopeName, StringComparison.Ordinal) && r.Contains(key.Environment, StringComparison.Ordinal));
        Assert.DoesNotContain(after.Document.QuerySelectorAll("table[aria-labelledby=ending] tbody tr"), r => r.TextContent.Contains(key.ScopeName, StringComparison.Ordinal) && r.TextContent.Contains(key.Consumer, StringComparison.Ordinal));
        Assert.Contains("Access expired", scope.Text, StringComparison.Ordinal);
        Assert.NotEmpty(scope.Document.QuerySelectorAll(".badge.expired"));
    }

    private async Task<string> AdminAsync()
    {
        foreach (var user in _server.Users.Order(StringComparer.Ordinal))
        {
            if (await _server.Store.GetUserAsync(user) is { IsAdmin: true })
            {
                return user;
            }
        }

        throw new InvalidOperationException("the example organisation has no admin with a token");
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
