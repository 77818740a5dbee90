using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Gatehouse.Core.Access;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>
/// /metrics (ADR 0028): the business metrics move with real requests, and the runtime, ASP.NET
/// Core and every <c>Gatehouse*</c> meter are exported. Counts are per process, so these run
/// alone and compare before with after.
/// </summary>
[Collection(PrometheusText.Collection)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Decisions_tokens_and_pending_requests_move_with_real_requests()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);
        using var anonymous = server.Client(token: null);
        var before = await PrometheusText.ScrapeAsync(anonymous);

        // Development is approved automatically; production waits for the owners.
        var allowed = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "development" }));
        var denied = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "production" }));
        Assert.True(allowed["allow"]!.GetValue<bool>(), allowed.ToJsonString());
        Assert.False(denied["allow"]!.GetValue<bool>(), denied.ToJsonString());
        await server.TokenForAsync("alice");
        using var guesser = server.Client("ghp_not-a-real-token-0123456789");
        Assert.Equal(401, (int)(await guesser.GetAsync("api/v1/apps")).StatusCode);

        var after = await PrometheusText.ScrapeAsync(anonymous);
        double Delta(string name, params (string, string)[] labels) => PrometheusText.Value(after, name, labels) - PrometheusText.Value(before, name, labels);
        Assert.Equal(1, Delta("gatehouse_decisions_total", ("endpoint", "decisions"), ("outcome", "allowed")));
        Assert.Equal(1, Delta("gatehouse_decisions_total", ("endpoint", "decisions"), ("outcome", "denied")));
        Assert.Equal(1, Delta("gatehouse_tokens_issued_total", ("kind", "personal")));
        Assert.Equal(1, Delta("gatehouse_authentication_failures_total", ("kind", "bearer")));

        var store = server.Services.GetRequiredService<IGatehouseStore>();
        var pending = await store.ListRequestsAsync(new RequestQuery(Environment: "production", State: RequestState.Pending));
        Assert.NotEmpty(pending);
        Assert.Equal(pending.Count, PrometheusText.Value(after, "gatehouse_requests_pending", ("environment", "production")));
        Assert.True(PrometheusText.Value(after, "gatehouse_cache_bytes", ("cache", "access_states")) > 0, "the checked accesses take room in the cache");
        Assert.DoesNotContain("ghp_not-a-real-token", after);
    }

    [Fact]
    public async Task The_check_endpoint_counts_each_needed_access()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);
        using var anonymous = server.Client(token: null);
        var before = await PrometheusText.ScrapeAsync(anonymous);

        var check = await admin.PostAsJsonAsync("api/v1/check", new
        {
            environment = "staging",
            needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" }, new { consumer = "shop", provider = "customers", scope = "status.read" } },
        });
        Assert.Equal(200, (int)check.StatusCode);

        var after = await PrometheusText.ScrapeAsync(anonymous);
        double Delta(string outcome) =>
            PrometheusText.Value(after, "gatehouse_decisions_total", ("endpoint", "check"), ("outcome", outcome)) - PrometheusText.Value(before, "gatehouse_decisions_total", ("endpoint", "check"), ("outcome", outcome));

        // profile.read waits for the owners in staging; status.read is approved automatically.
        Assert.Equal(1, Delta("allowed"));
        Assert.Equal(1, Delta("denied"));
    }

    [Fact]
    public async Task Runtime_AspNetCore_Kestrel_and_every_Gatehouse_meter_are_exported()
    {
        using var meter = new Meter("Gatehouse.ObservabilityTests");
        var counter = meter.CreateCounter<long>("gatehouse.observability_tests.things", "{thing}");
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Client(token: null);
        Assert.Equal(200, (int)(await anonymous.GetAsync("version")).StatusCode);
        Assert.Equal(200, (int)(await anonymous.GetAsync("healthz")).StatusCode);
        counter.Add(3, new KeyValuePair<string, object?>("outcome", "made"));

        var metrics = await PrometheusText.ScrapeAsync(anonymous);

        Assert.Equal(3, PrometheusText.Value(metrics, "gatehouse_observability_tests_things_total", ("outcome", "made")));
        Assert.True(PrometheusText.Value(metrics, "http_server_request_duration_seconds_count", ("http_route", "/version")) >= 1, "ASP.NET Core's request duration");
        Assert.False(PrometheusText.Has(metrics, "http_server_request_duration_seconds_count", ("http_route", "/healthz")), "liveness probes are left out of the request metrics");
        Assert.True(PrometheusText.Has(metrics, "kestrel_active_connections"), "Kestrel's meter");
        Assert.True(PrometheusText.Has(metrics, "dotnet_gc_heap_total_allocated_bytes_total") || PrometheusText.Has(metrics, "dotnet_process_cpu_time_seconds_total"), "the runtime's meter");
        Assert.True(PrometheusText.Has(metrics, "gatehouse_decision_cache_hits_total"));
        Assert.True(PrometheusText.Has(metrics, "http_server_request_duration_seconds_bucket", ("http_route", "/version"), ("le", "0.001")), "buckets fine enough for the hot paths");
    }
}
