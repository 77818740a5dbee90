using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>At least once across a crash, and once with two replicas sharing PostgreSQL.</summary>
public sealed class DeliveryRecoveryTests
{
    [Fact]
    public async Task ServerKilledWithSigkillMidDelivery_AfterRestart_NothingIsLost()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        var data = Path.Combine(Path.GetTempPath(), "gatehouse-notify-kill-" + Guid.NewGuid().ToString("n"));
        var environment = NotificationScenario.Settings().Select(s => s[2..].Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        try
        {
            string root;
            using (var first = await ServerProcess.StartAsync(data, environment: environment))
            {
                root = await NotificationScenario.SeedAsync(first.Url, receiver.Url);
                await NotificationScenario.RaiseEveryKindAsync(first.Url, root);

                // Deliveries are being attempted (and refused) when the process dies.
                var until = DateTime.UtcNow.AddSeconds(20);
                while (receiver.Refused < 10)
                {
                    Assert.True(DateTime.UtcNow < until, "no delivery was attempted");
                    await Task.Delay(20);
                }

                first.KillHard();
            }

            Assert.Empty(receiver.Received);
            receiver.Down = false;
            using var second = await ServerProcess.StartAsync(data, environment: environment);
            await receiver.WaitForAsync(r => NotificationScenario.AllTypes.All(t => r.Any(w => WebhookReceiver.Type(w) == t)), seconds: 40);

            // Everything the store holds was delivered, and received: nothing pending, nothing dead.
            using var admin = LoopbackGatehouse.Client(second.Url, root);
            var counts = await WaitForQuietAsync(admin);
            var received = receiver.Received.ToList();
            Assert.Equal(0, counts.Dead);
            Assert.Equal(counts.Delivered, received.Select(r => (NotificationScenario.Envelope(r)["id"]!.GetValue<string>(), r.Path)).Distinct().Count());
            WebhookDeliveryTests.AssertInOrderPerSubject(received);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [PostgresFact]
    public async Task TwoReplicasOnPostgres_DeliverEachEventOnce()
    {
        var postgres = await PostgresFactAttribute.CreateDatabaseAsync("notifications");
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var one = await TestServer.StartOnPostgresWithAsync(postgres, NotificationScenario.Settings());
        await using var two = await TestServer.StartOnPostgresWithAsync(postgres, NotificationScenario.Settings());
        var root = await NotificationScenario.SeedAsync(one.Url, receiver.Url);
        await NotificationScenario.RaiseEveryKindAsync(two.Url, root);

        await receiver.WaitForAsync(r => NotificationScenario.AllTypes.All(t => r.Any(w => WebhookReceiver.Type(w) == t)));
        using var admin = LoopbackGatehouse.Client(one.Url, root);
        var counts = await WaitForQuietAsync(admin);
        await Task.Delay(500);
        var received = receiver.Received.ToList();

        Assert.Equal(counts.Delivered, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
    }

    internal static async Task<(long Pending, long Delivered, long Dead)> WaitForQuietAsync(HttpClient admin)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var json = await LoopbackGatehouse.Json(await admin.GetAsync("api/v1/notifications/dead-letters"));
            var counts = (json["pending"]!.GetValue<long>(), json["delivered"]!.GetValue<long>(), json["dead"]!.GetValue<long>());
            if (counts.Item1 == 0 && counts.Item2 > 0)
            {
                return counts;
            }

            Assert.True(DateTime.UtcNow < until, $"deliveries still pending: {json.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
