using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>Notifications to a real receiver on loopback, verified by an independent Standard Webhooks implementation.</summary>
public sealed class WebhookDeliveryTests
{
    [InteropFact("standardwebhooks")]
    public async Task EveryEventKind_ArrivesOnce_SignedAsCloudEvent_AndTheNpmVerifierAcceptsIt_ButNotATamperedBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings());
        var root = await NotificationScenario.SeedAsync(server.Url, receiver.Url);
        await NotificationScenario.RaiseEveryKindAsync(server.Url, root);

        await receiver.WaitForAsync(r => NotificationScenario.AllTypes.All(t => r.Any(w => WebhookReceiver.Type(w) == t)));
        await Task.Delay(500); // anything sent twice would arrive by now
        var received = receiver.Received.ToList();

        // Once: one request per delivery id, one delivery per event and target.
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(received.Count, received.Select(r => (NotificationScenario.Envelope(r)["id"]!.GetValue<string>(), r.Path)).Distinct().Count());

        // Routed to the owners: a request to the provider's team, a decision to the consumer's.
        Assert.Contains(received, r => r.Path == "/people" && Is(r, "request.filed", "billing"));
        Assert.Contains(received, r => r.Path == "/payments" && Is(r, "request.approved", "billing"));
        Assert.Contains(received, r => r.Path == "/payments" && Is(r, "request.denied", "billing"));
        Assert.Contains(received, r => r.Path == "/shop" && Is(r, "request.voted", "shop"));
        Assert.Contains(received, r => r.Path == "/payments" && Is(r, "grant.revoked", "billing"));
        Assert.Contains(received, r => r.Path == "/payments" && Is(r, "scope.deprecated", null));
        Assert.Contains(received, r => r.Path == "/payments" && Is(r, "credential.expiring", "billing"));
        Assert.DoesNotContain(received, r => r.Path == "/people" && Is(r, "request.denied", "billing"));

        // A CloudEvents 1.0 envelope, linking to the request in the portal.
        var filed = NotificationScenario.Envelope(received.First(r => Is(r, "request.filed", "billing")));
        Assert.Equal("1.0", filed["specversion"]!.GetValue<string>());
        Assert.Equal("application/json", filed["datacontenttype"]!.GetValue<string>());
        Assert.StartsWith("request/", filed["subject"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(filed["time"]!.GetValue<string>(), out _));
        Assert.EndsWith("/requests/" + filed["subject"]!.GetValue<string>()["request/".Length..], filed["data"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(received, r => Assert.StartsWith("application/cloudevents+json", r.ContentType, StringComparison.Ordinal));

        // The secret never travels.
        Assert.All(received, r => Assert.DoesNotContain(NotificationScenario.Secret[6..], r.Body, StringComparison.Ordinal));

        var input = JsonSerializer.Serialize(new
        {
            secret = NotificationScenario.Secret,
            deliveries = received.Select(r => new { id = r.Id, timestamp = r.Timestamp, signature = r.Signature, body = r.Body }),
        });
        var results = JsonNode.Parse(await InteropNode.RunAsync("webhook-verify.mjs", input))!["results"]!.AsArray();
        Assert.Equal(received.Count, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r!["verified"]!.GetValue<bool>(), "standardwebhooks rejected " + r.ToJsonString());
            Assert.True(r["tamperedChanged"]!.GetValue<bool>());
            Assert.False(r["tamperedVerified"]!.GetValue<bool>(), "standardwebhooks accepted a tampered body: " + r.ToJsonString());
        });
    }

    [Fact]
    public async Task ReceiverDown_ThenBack_EverythingArrives_InOrderPerSubject()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings());
        var root = await NotificationScenario.SeedAsync(server.Url, receiver.Url);
        await NotificationScenario.RaiseEveryKindAsync(server.Url, root);

        // Retried while it is down (503), none lost.
        var until = DateTime.UtcNow.AddSeconds(20);
        while (receiver.Refused < 20)
        {
            Assert.True(DateTime.UtcNow < until, $"only {receiver.Refused} attempts while the receiver was down");
            await Task.Delay(50);
        }

        Assert.Empty(receiver.Received);
        receiver.Down = false;
        await receiver.WaitForAsync(r => NotificationScenario.AllTypes.All(t => r.Any(w => WebhookReceiver.Type(w) == t)));
        await Task.Delay(1000);
        var received = receiver.Received.ToList();

        AssertInOrderPerSubject(received);
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());

        // The approval and the revocation of billing's staging access both arrive. They are about two
        // subjects (the request, then the grant), and order is kept per subject only (ADR 0019):
        // after retries with jitter the two may arrive either way round.
        var billingStaging = received.Where(r => r.Path == "/payments" && NotificationScenario.Envelope(r)["data"]!["context"]?["environment"]?.GetValue<string>() == "staging"
            && NotificationScenario.Envelope(r)["data"]!["context"]?["consumer"]?.GetValue<string>() == "billing").Select(WebhookReceiver.Type).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["dev.gatehouse.grant.revoked", "dev.gatehouse.request.approved"], billingStaging);
    }

    [Fact]
    public async Task OrganisationPushedAgain_TheNextEventGoesToTheTargetItNowNames()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings());
        var root = await NotificationScenario.SeedAsync(server.Url, receiver.Url);

        // The worker has routed and delivered under the first file (people hears of billing's requests).
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/people"));

        // The payments team's hook moves. The worker keeps the file between rounds (it re-reads it when
        // the change version moves), so the move must reach the very next event.
        using var bootstrap = LoopbackGatehouse.Client(server.Url, TestServer.BootstrapToken);
        var moved = NotificationScenario.Organisation(receiver.Url).Replace($"url: {receiver.Url}payments", $"url: {receiver.Url}payments-moved", StringComparison.Ordinal);
        var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = moved } });
        Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());

        using var admin = LoopbackGatehouse.Client(server.Url, root);
        var changed = TestOrganisation.Customers.Replace("    description: Read profiles", "    description: Read profiles\n    deprecated: Use profile.read.v2 instead", StringComparison.Ordinal);
        var push = await admin.PostAsJsonAsync("api/v1/push", new { manifests = new[] { new { path = "customers/gatehouse.yaml", content = changed } } });
        Assert.True(push.IsSuccessStatusCode, await push.Content.ReadAsStringAsync());

        // Billing (payments) needs the deprecated scope: payments hears of it, at the new address only.
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/payments-moved" && WebhookReceiver.Type(w) == "dev.gatehouse.scope.deprecated"));
        Assert.DoesNotContain(receiver.Received, w => w.Path == "/payments" && WebhookReceiver.Type(w) == "dev.gatehouse.scope.deprecated");
    }

    internal static void AssertInOrderPerSubject(IReadOnlyList<ReceivedWebhook> received)
    {
        foreach (var stream in received.GroupBy(r => (r.Path, NotificationScenario.Envelope(r)["subject"]!.GetValue<string>())))
        {
            var sequence = stream.Select(r => NotificationScenario.Envelope(r)["data"]!["sequence"]!.GetValue<long>()).ToList();
            Assert.True(sequence.SequenceEqual(sequence.Order()), $"{stream.Key}: out of order {string.Join(",", sequence)}");
        }
    }

    private static bool Is(ReceivedWebhook webhook, string type, string? app)
    {
        var envelope = NotificationScenario.Envelope(webhook);
        return envelope["type"]!.GetValue<string>() == "dev.gatehouse." + type
            && (app is null || envelope["data"]!["app"]?.GetValue<string>() == app);
    }
}
