using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary><c>credential.expiring</c>: which credentials are announced, to whom, and once (docs/notifications.md).</summary>
public sealed class CredentialExpiryTests
{
    [Fact]
    public async Task PersonalAndDeployTokensEndingSoon_AreAnnouncedOnce_ToThePersonsTeamAndTheAppsOwners_LaterOnesAreNot()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings());
        var root = await NotificationScenario.SeedAsync(server.Url, receiver.Url);
        using var bootstrap = server.Client();
        using var admin = server.Client(root);

        // carol (team people) and billing (owned by payments) end in 3 days; sam's token (team shop) in 60.
        var carol = await CreateAsync(bootstrap, "personal", "carol", 3);
        var billing = await CreateAsync(admin, "deploy", "billing", 3);
        var sam = await CreateAsync(bootstrap, "personal", "sam", 60);

        await receiver.WaitForAsync(r => Expiring(r, carol).Count > 0 && Expiring(r, billing).Count > 0);
        await Task.Delay(1000); // five more expiry checks (GATEHOUSE_NOTIFY_EXPIRY_CHECK_MS=200)
        var received = receiver.Received.ToList();

        var toCarol = Assert.Single(Expiring(received, carol));
        Assert.Equal("/people", toCarol.Path);
        var data = NotificationScenario.Envelope(toCarol)["data"]!;
        Assert.Equal("personal", data["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("carol", data["context"]!["person"]!.GetValue<string>());
        Assert.Contains($"personal token {carol.Id} of carol expires", data["comment"]!.GetValue<string>(), StringComparison.Ordinal);

        var toBilling = Assert.Single(Expiring(received, billing));
        Assert.Equal("/payments", toBilling.Path);
        Assert.Equal("deploy", NotificationScenario.Envelope(toBilling)["data"]!["details"]!["kind"]!.GetValue<string>());

        Assert.Empty(Expiring(received, sam));
        Assert.All(received, r => Assert.DoesNotContain(carol.Secret, r.Body, StringComparison.Ordinal));
        Assert.All(received, r => Assert.DoesNotContain(billing.Secret, r.Body, StringComparison.Ordinal));
    }

    private static List<ReceivedWebhook> Expiring(IEnumerable<ReceivedWebhook> received, (string Id, string Secret) token) =>
        [.. received.Where(r => WebhookReceiver.Type(r) == "dev.gatehouse.credential.expiring"
            && NotificationScenario.Envelope(r)["subject"]!.GetValue<string>() == $"token/{token.Id}")];

    private static async Task<(string Id, string Secret)> CreateAsync(HttpClient by, string kind, string subject, int days)
    {
        var response = await by.PostAsJsonAsync("api/v1/tokens", new { kind, subject, expiresInDays = days });
        var json = await LoopbackGatehouse.Json(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return (json["id"]!.GetValue<string>(), json["secret"]!.GetValue<string>());
    }
}
