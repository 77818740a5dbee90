using System.Net.Http.Json;
using Gatehouse.Server.Reviews;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary>
/// An environment's review policy (docs/adr/0032-access-reviews.md): the server opens a review on
/// schedule, once, and at the deadline revokes what nobody confirmed.
/// </summary>
public sealed class ReviewPolicyTests : IAsyncLifetime
{
    private readonly Clock _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var org = TestOrganisation.Org.Replace("  - name: staging\n", "  - name: staging\n    reviews:\n      everyDays: 30\n      deadlineDays: 7\n      unconfirmed: revoke\n", StringComparison.Ordinal);
        Assert.Contains("everyDays: 30", org, StringComparison.Ordinal);
        _server = await TestServer.StartOnClockAsync(_time);
        await _server.SeedAsync(org);
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        using var admin = _server.Client();
        var pending = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=staging&state=pending"));
        var id = pending["requests"]!.AsArray().Single()!["id"]!.GetValue<long>();
        Assert.True((await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "ok" })).IsSuccessStatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_policy_opens_one_review_revokes_the_unconfirmed_at_the_deadline_and_opens_the_next_after_its_period()
    {
        var store = _server.Services.GetRequiredService<IGatehouseStore>();

        await ReviewDeadlineService.RunOnceAsync(store, _time, CancellationToken.None);
        await ReviewDeadlineService.RunOnceAsync(store, _time, CancellationToken.None);

        var review = Assert.Single(await store.ListReviewsAsync(openOnly: false));
        Assert.Equal(("staging", "policy"), (review.Environment, review.OpenedBy));
        Assert.Equal(_time.GetUtcNow().AddDays(7), review.Deadline);
        Assert.Contains(review.Items, i => i.Key.Consumer == "billing" && i.Key.Scope == "profile.read");

        _time.Now = _time.Now.AddDays(7);
        await ReviewDeadlineService.RunOnceAsync(store, _time, CancellationToken.None);

        var closed = Assert.Single(await store.ListReviewsAsync(openOnly: false));
        Assert.False(closed.IsOpen);
        Assert.All(closed.Items, i => Assert.Equal("revoked-at-deadline", i.Outcome));
        Assert.Empty(await store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "staging")));

        _time.Now = _time.Now.AddDays(23);
        await ReviewDeadlineService.RunOnceAsync(store, _time, CancellationToken.None);
        Assert.Equal(2, (await store.ListReviewsAsync(openOnly: false)).Count);
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
