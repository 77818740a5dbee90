using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// Two replicas on one database (ADR 0033): a change made through one is in every answer of the
/// other that asks for it (<c>Gatehouse-Consistency: at-least=N</c> with the change's
/// <c>Gatehouse-Version</c>, or <c>full</c>), and in its default answers within a second.
/// </summary>
public sealed class ReplicaTests
{
    private static readonly object CheckBody = new { environment = "staging", needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } };

    [PostgresFact]
    public async Task On_PostgreSQL_an_approval_and_a_revocation_through_one_replica_reach_the_other_as_the_caller_asks()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync("gh_replicas");
        await using var first = await TestServer.StartAsync(postgres: database);
        await using var second = await TestServer.StartAsync(postgres: database);

        await ApprovalAndRevocationReachTheOtherReplicaAsync(first, second, defaultIsImmediate: false);
    }

    [Fact]
    public async Task On_SQLite_two_servers_on_one_data_folder_see_each_others_changes_in_the_next_default_answer()
    {
        await using var first = await TestServer.StartAsync();
        await using var second = await TestServer.StartAsync(dataDirectory: first.DataDirectory);

        await ApprovalAndRevocationReachTheOtherReplicaAsync(first, second, defaultIsImmediate: true);
    }

    [Fact]
    public async Task A_consistency_header_that_is_none_of_its_forms_is_refused_with_GH4013()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client();

        foreach (var bad in new[] { "eventual", "at-least=", "at-least=-3", "at-least=12x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/check") { Content = JsonContent.Create(CheckBody) };
            request.Headers.Add("Gatehouse-Consistency", bad);
            var response = await admin.SendAsync(request);

            Assert.Equal(400, (int)response.StatusCode);
            var problem = await TestServer.Json(response);
            Assert.Equal("GH4013", problem["code"]!.GetValue<string>());
            Assert.Contains("at-least=N", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    private static async Task ApprovalAndRevocationReachTheOtherReplicaAsync(TestServer first, TestServer second, bool defaultIsImmediate)
    {
        await first.SeedAsync();
        using var admin = second.Client();
        var pending = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=staging&state=pending"));
        var id = pending["requests"]![0]!["id"]!.GetValue<long>();
        using var carol = first.Client(await second.TokenForAsync("carol"));
        var (before, _) = await CheckAsync(admin, null);
        Assert.False(before["granted"]!.GetValue<bool>());

        // The approval's answer names the version it committed; at least that version, asked of the other replica, includes it.
        var approved = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "replica test" });
        Assert.Equal(200, (int)approved.StatusCode);
        var approvedAt = long.Parse(Assert.Single(approved.Headers.GetValues("Gatehouse-Version")), System.Globalization.CultureInfo.InvariantCulture);
        var (atLeast, answeredAt) = await CheckAsync(admin, $"at-least={approvedAt}");
        Assert.True(atLeast["granted"]!.GetValue<bool>());
        Assert.True(answeredAt >= approvedAt, $"answered at {answeredAt}, asked at least {approvedAt}");

        // A revocation through the first replica: a full answer of the second never misses it, a default one within the bound.
        var grants = await TestServer.Json(await admin.GetAsync("api/v1/grants?consumer=billing&env=staging"));
        var grant = grants["grants"]![0]!["id"]!.GetValue<long>();
        using var root = first.Client(first.AdminToken);
        Assert.Equal(200, (int)(await root.PostAsJsonAsync($"api/v1/grants/{grant}/revoke", new { comment = "replica test" })).StatusCode);
        var (full, _) = await CheckAsync(admin, "full");
        Assert.False(full["granted"]!.GetValue<bool>());

        var clock = Stopwatch.StartNew();
        JsonNode latest;
        do
        {
            (latest, _) = await CheckAsync(admin, null);
        }
        while (latest["granted"]!.GetValue<bool>() && !defaultIsImmediate && clock.Elapsed < TimeSpan.FromSeconds(3));

        Assert.False(latest["granted"]!.GetValue<bool>(), $"a default answer still granted {clock.Elapsed} after the revocation");
        var verify = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    private static async Task<(JsonNode Body, long Version)> CheckAsync(HttpClient client, string? consistency)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/check") { Content = JsonContent.Create(CheckBody) };
        if (consistency is not null)
        {
            request.Headers.Add("Gatehouse-Consistency", consistency);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var version = long.Parse(Assert.Single(response.Headers.GetValues("Gatehouse-Version")), System.Globalization.CultureInfo.InvariantCulture);
        return (await TestServer.Json(response), version);
    }
}
