using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary>
/// Environment policies over real HTTP (docs/adr/0031-environment-policies.md): check says which
/// policy blocks a missing access, a frozen environment refuses approvals, and an admin's
/// emergency approval grants and is flagged.
/// </summary>
public sealed class EnvironmentPolicyTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var org = TestOrganisation.Org.Replace("""
              - name: production
                approval: owner
            """, $"""
              - name: production
                approval: owner
                promotion: staging
                freezes:
                  - from: {today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}
                    until: {today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}
                    reason: release freeze
            """, StringComparison.Ordinal);
        org = org.Replace("admins: [root]", "admins: [root, ada]", StringComparison.Ordinal);
        Assert.Contains("promotion: staging", org, StringComparison.Ordinal);
        _server = await TestServer.StartAsync();
        await _server.SeedAsync(org);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> PendingRequestId(string env)
    {
        using var admin = _server.Client();
        var json = await TestServer.Json(await admin.GetAsync($"api/v1/requests?consumer=billing&env={env}&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == "profile.read")!["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> CheckAsync(string env)
    {
        using var client = _server.Client();
        var response = await client.PostAsJsonAsync("api/v1/check", new { environment = env, needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } });
        return (await TestServer.Json(response))["results"]![0]!;
    }

    [Fact]
    public async Task Check_names_the_promotion_and_the_freeze_that_block_production_and_stays_quiet_where_nothing_blocks()
    {
        var production = await CheckAsync("production");
        var staging = await CheckAsync("staging");

        Assert.Equal("pending", production["state"]!.GetValue<string>());
        var policy = production["policy"]!.GetValue<string>();
        Assert.Contains("production requires promotion from staging, where this access is pending", policy, StringComparison.Ordinal);
        Assert.Contains("(release freeze)", policy, StringComparison.Ordinal);
        Assert.Null(staging["policy"]);
    }

    [Fact]
    public async Task A_frozen_environment_refuses_an_owner_and_grants_an_admins_emergency_approval_flagged()
    {
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        // root pushed the manifests, so stands behind the request: another admin decides.
        using var root = _server.Client(await _server.TokenForAsync("ada"));
        var production = await PendingRequestId("production");

        var tooEarly = await carol.PostAsJsonAsync($"api/v1/requests/{production}/approve", new { comment = "ok" });
        Assert.Equal(409, (int)tooEarly.StatusCode);
        Assert.Equal("GH4250", (await TestServer.Json(tooEarly))["code"]!.GetValue<string>());

        var staging = await carol.PostAsJsonAsync($"api/v1/requests/{await PendingRequestId("staging")}/approve", new { comment = "ok" });
        Assert.Equal(200, (int)staging.StatusCode);
        var frozen = await carol.PostAsJsonAsync($"api/v1/requests/{production}/approve", new { comment = "ok" });
        var ownerEmergency = await carol.PostAsJsonAsync($"api/v1/requests/{production}/approve", new { comment = "urgent", emergency = true });

        Assert.Equal(409, (int)frozen.StatusCode);
        Assert.Equal("GH4251", (await TestServer.Json(frozen))["code"]!.GetValue<string>());
        Assert.Equal(403, (int)ownerEmergency.StatusCode);
        Assert.Equal("GH4252", (await TestServer.Json(ownerEmergency))["code"]!.GetValue<string>());
        Assert.Equal("pending", (await CheckAsync("production"))["state"]!.GetValue<string>());

        var emergency = await root.PostAsJsonAsync($"api/v1/requests/{production}/approve", new { comment = "Outage INC-812", emergency = true });

        Assert.Equal(200, (int)emergency.StatusCode);
        Assert.Equal("granted", (await CheckAsync("production"))["state"]!.GetValue<string>());
        var grants = await TestServer.Json(await root.GetAsync("api/v1/grants?consumer=billing&env=production"));
        Assert.True(grants["grants"]!.AsArray().Single()!["emergency"]!.GetValue<bool>());
    }
}
