using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>Two stateless replicas on one PostgreSQL: what one decides, the other sees at once.</summary>
public sealed class ReplicaTests
{
    [PostgresFact]
    public async Task DecisionThroughOneReplica_IsSeenByTheOthersCheck_AtOnce()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync("gh_replicas");
        await using var first = await TestServer.StartAsync(postgres: database);
        await using var second = await TestServer.StartAsync(postgres: database);
        await first.SeedAsync();
        using var admin = second.Client();
        var pending = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=staging&state=pending"));
        var id = pending["requests"]![0]!["id"]!.GetValue<long>();
        using var carol = first.Client(await second.TokenForAsync("carol"));
        var body = new { environment = "staging", needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } };
        var before = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/check", body));

        var approved = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "replica test" });
        var after = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/check", body));

        Assert.Equal(200, (int)approved.StatusCode);
        Assert.False(before["granted"]!.GetValue<bool>());
        Assert.True(after["granted"]!.GetValue<bool>());
        var verify = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));
        Assert.True(verify["valid"]!.GetValue<bool>());
    }
}
