using System.Net.Http.Json;
using Gatehouse.Core.Access;
using Gatehouse.Server.Reviews;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary><c>revokeUnusedAfterDays</c> (docs/adr/0032-access-reviews.md): a grant unused that long is revoked by policy; a used one stays.</summary>
public sealed class UnusedGrantPolicyTests : IAsyncLifetime
{
    private readonly Clock _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var org = TestOrganisation.Org.Replace("    approval: owner\n", "    approval: owner\n    revokeUnusedAfterDays: 30\n", StringComparison.Ordinal);
        Assert.Contains("revokeUnusedAfterDays: 30", org, StringComparison.Ordinal);
        _server = await TestServer.StartOnClockAsync(_time);
        await _server.SeedAsync(org);
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        using var admin = _server.Client();
        var pending = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=production&state=pending"));
        var id = pending["requests"]!.AsArray().Single()!["id"]!.GetValue<long>();
        Assert.True((await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "ok" })).IsSuccessStatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_grant_unused_for_the_environments_days_is_revoked_by_policy_and_a_use_keeps_it()
    {
        var store = _server.Services.GetRequiredService<IGatehouseStore>();
        var usage = _server.Services.GetRequiredService<IUsageStore>();
        var production = new GrantQuery("customers", "profile.read", "billing", "production");
        var staging = new GrantQuery(Consumer: "billing", Environment: "development");

        _time.Now = _time.Now.AddDays(29);
        Assert.Equal(0, await UnusedGrantPolicy.RunOnceAsync(store, usage, null, _time, CancellationToken.None));
        await usage.WriteAsync(new UsageBatch([new("billing", "customers", "profile.read", "production", _time.Now)], [], []));
        _time.Now = _time.Now.AddDays(20);
        Assert.Equal(0, await UnusedGrantPolicy.RunOnceAsync(store, usage, null, _time, CancellationToken.None));
        Assert.Single(await store.ListGrantsAsync(production));

        _time.Now = _time.Now.AddDays(11);
        Assert.Equal(1, await UnusedGrantPolicy.RunOnceAsync(store, usage, null, _time, CancellationToken.None));

        Assert.Empty(await store.ListGrantsAsync(production));
        var revoked = Assert.Single(await store.ListGrantsAsync(production with { ActiveOnly = false }));
        Assert.Equal((GrantState.Revoked, "policy"), (revoked.State, revoked.RevokedBy));
        Assert.Contains("unused for 30 days", revoked.RevokeReason, StringComparison.Ordinal);
        Assert.NotEmpty(await store.ListGrantsAsync(staging)); // no policy in development
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
