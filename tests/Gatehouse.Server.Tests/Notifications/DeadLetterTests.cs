using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>Deliveries that run out of attempts: visible to admins only, redelivered on request.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task AReceiverThatNeverAnswers_LeavesDeadLetters_OnlyAdminsSeeThem_AndRedeliveryDeliversThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings("--GATEHOUSE_NOTIFY_MAX_ATTEMPTS=2"));
        var root = await NotificationScenario.SeedAsync(server.Url, receiver.Url);
        using var admin = server.Client(root);
        using var carol = server.Client(await server.TokenForAsync("carol"));

        var until = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.Nodes.JsonNode list;
        do
        {
            Assert.True(DateTime.UtcNow < until, "no dead letter within 30 s");
            await Task.Delay(100);
            list = await TestServer.Json(await admin.GetAsync("api/v1/notifications/dead-letters"));
        }
        while (list["pending"]!.GetValue<long>() > 0 || list["dead"]!.GetValue<long>() == 0);

        var dead = list["deadLetters"]!.AsArray();
        Assert.Equal(list["dead"]!.GetValue<long>(), dead.Count);
        var first = dead[0]!;
        Assert.Equal(2, first["attempts"]!.GetValue<long>());
        Assert.Contains("503", first["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("msg_", first["id"]!.GetValue<string>(), StringComparison.Ordinal);

        // Not an admin: refused, with the code.
        var refused = await carol.GetAsync("api/v1/notifications/dead-letters");
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("GH6020", (await TestServer.Json(refused))["code"]!.GetValue<string>());
        Assert.Equal(403, (int)(await carol.PostAsync($"api/v1/notifications/dead-letters/{first["id"]}/redeliver", null)).StatusCode);
        using var anonymous = server.Client(null);
        Assert.Equal(401, (int)(await anonymous.GetAsync("api/v1/notifications/dead-letters")).StatusCode);
        var unknown = await admin.PostAsync("api/v1/notifications/dead-letters/msg_nope/redeliver", null);
        Assert.Equal("GH6021", (await TestServer.Json(unknown))["code"]!.GetValue<string>());

        receiver.Down = false;
        var redeliver = await admin.PostAsync($"api/v1/notifications/dead-letters/{first["id"]}/redeliver", null);
        Assert.Equal(200, (int)redeliver.StatusCode);
        await receiver.WaitForAsync(r => r.Any(w => w.Id == first["id"]!.GetValue<string>()));
        var after = await TestServer.Json(await admin.GetAsync("api/v1/notifications/dead-letters"));
        Assert.Equal(dead.Count - 1, after["dead"]!.GetValue<long>());
    }
}
