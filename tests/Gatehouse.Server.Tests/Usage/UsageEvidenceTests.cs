using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Usage;
using Gatehouse.Storage.Usage;
using Gatehouse.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Usage;

/// <summary>
/// Usage evidence over HTTP (ADR 0024): decisions, checks and tokens record the grants they relied
/// on; lists show the last use; a graceful restart keeps what was noted since the last flush.
/// </summary>
public sealed class UsageEvidenceTests
{
    private static readonly object BillingReadsProfiles = new { app = "billing", scope = "customers:profile.read", environment = "development" };

    internal static Task FlushAsync(IServiceProvider services) =>
        services.GetRequiredService<UsageRecorder>().FlushAsync(services.GetRequiredService<IUsageStore>(), default);

    private static async Task<JsonNode> BillingGrantAsync(HttpClient client)
    {
        var grants = await TestServer.Json(await client.GetAsync("api/v1/grants?consumer=billing&env=development"));
        return Assert.Single(grants["grants"]!.AsArray())!;
    }

    [Fact]
    public async Task A_use_noted_just_before_a_graceful_stop_is_shown_after_restarting_on_the_same_sqlite_file()
    {
        var (data, store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-usage-");
        var options = new GatehouseOptions { DataDirectory = data, BootstrapToken = TestServer.BootstrapToken };
        string[] settings = ["--GATEHOUSE_USAGE_FLUSH_SECONDS=3600"]; // only the flush at shutdown can write it
        var (app, url) = await LoopbackGatehouse.StartOverAsync(options, store, settings);
        string adminToken;
        try
        {
            using var bootstrap = LoopbackGatehouse.Client(url, TestServer.BootstrapToken);
            Assert.True((await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org } })).IsSuccessStatusCode);
            adminToken = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
            using var admin = LoopbackGatehouse.Client(url, adminToken);
            Assert.True((await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) })).IsSuccessStatusCode);

            var decision = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/decisions", BillingReadsProfiles));
            Assert.True(decision["allow"]!.GetValue<bool>(), decision.ToJsonString());
            Assert.Null((await BillingGrantAsync(admin))["lastUsedAt"]); // noted in memory, not yet flushed
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await ((IAsyncDisposable)store).DisposeAsync();
        }

        (_, store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-usage-", dataDirectory: data);
        (app, url) = await LoopbackGatehouse.StartOverAsync(options, store, settings);
        try
        {
            using var admin = LoopbackGatehouse.Client(url, TestServer.BootstrapToken);
            var grant = await BillingGrantAsync(admin);
            Assert.NotNull(grant["lastUsedAt"]);
            Assert.False(grant["unused"]!.GetValue<bool>());
            var tokens = await TestServer.Json(await admin.GetAsync("api/v1/tokens"));
            var root = tokens["tokens"]!.AsArray().Single(t => t!["subject"]!["name"]!.GetValue<string>() == "root")!;
            Assert.NotNull(root["lastUsedAt"]); // it authenticated the push and the decision
        }
        finally
        {
            await LoopbackGatehouse.StopAsync(app, store, data);
        }
    }

    [Fact]
    public async Task A_token_from_the_token_endpoint_records_its_grants_and_the_clients_last_use_with_the_scopes_issued()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var root = server.Client(server.AdminToken);
        var created = await TestServer.Json(await root.PostAsJsonAsync("api/v1/clients", new { app = "billing", environment = "development" }));
        var clientId = created["client"]!["id"]!.GetValue<string>();
        var secret = created["clientSecret"]!.GetValue<string>();
        Assert.Null((await TestServer.Json(await root.GetAsync($"api/v1/clients/{clientId}")))["lastUsedAt"]);

        using var oauth = new HttpClient { BaseAddress = server.Url };
        oauth.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        var token = await oauth.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "customers:profile.read" }));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        await FlushAsync(server.Services);

        var client = (await TestServer.Json(await root.GetAsync("api/v1/clients?app=billing")))["clients"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == clientId)!;
        Assert.NotNull(client["lastUsedAt"]);
        Assert.Equal("customers:profile.read", client["lastScopes"]!.GetValue<string>());
        Assert.NotNull((await BillingGrantAsync(root))["lastUsedAt"]);
    }

    [Fact]
    public async Task A_check_that_relies_on_a_grant_records_its_use_and_a_denied_access_records_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var root = server.Client(server.AdminToken);
        var check = await root.PostAsJsonAsync("api/v1/check", new
        {
            environment = "development",
            needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } },
        });
        Assert.True(check.IsSuccessStatusCode, await check.Content.ReadAsStringAsync());
        var denied = await TestServer.Json(await root.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "production" }));
        Assert.False(denied["allow"]!.GetValue<bool>());
        await FlushAsync(server.Services);

        Assert.NotNull((await BillingGrantAsync(root))["lastUsedAt"]);
        var all = await TestServer.Json(await root.GetAsync("api/v1/grants?consumer=billing&all=true"));
        Assert.DoesNotContain(all["grants"]!.AsArray(), g => g!["key"]!["environment"]!.GetValue<string>() == "production" && g["lastUsedAt"] is not null);
    }

    [Fact]
    public async Task A_grant_nobody_used_for_the_configured_days_is_flagged_unused_and_one_use_clears_the_flag()
    {
        var clock = new ShiftedClock();
        await using var server = await TestServer.StartOnClockAsync(clock);
        await server.SeedAsync();
        using var bootstrap = server.Client();
        Assert.False((await BillingGrantAsync(bootstrap))["unused"]!.GetValue<bool>());

        clock.Offset = TimeSpan.FromDays(91); // the default GATEHOUSE_UNUSED_AFTER_DAYS is 90, counted from the approval
        var grant = await BillingGrantAsync(bootstrap);
        Assert.True(grant["unused"]!.GetValue<bool>(), grant.ToJsonString());

        Assert.True((await TestServer.Json(await bootstrap.PostAsJsonAsync("api/v1/decisions", BillingReadsProfiles)))["allow"]!.GetValue<bool>());
        await FlushAsync(server.Services);
        Assert.False((await BillingGrantAsync(bootstrap))["unused"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("GATEHOUSE_USAGE_FLUSH_SECONDS", "0", "GATEHOUSE_USAGE_FLUSH_SECONDS must be a whole number of seconds from 1 to 3600")]
    [InlineData("GATEHOUSE_UNUSED_AFTER_DAYS", "ninety", "GATEHOUSE_UNUSED_AFTER_DAYS must be a whole number of days from 1 to 3650")]
    [InlineData("GATEHOUSE_USAGE_RECORDING", "maybe", "GATEHOUSE_USAGE_RECORDING must be `on` or `off`")]
    public void A_bad_usage_setting_stops_the_start_naming_the_variable(string name, string value, string message)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>(name, value)]).Build();

        var problem = Assert.Throws<ConfigurationProblemException>(() => UsageOptions.Load(config));

        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    /// <summary>The system clock, moved forward by <see cref="Offset"/>.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
