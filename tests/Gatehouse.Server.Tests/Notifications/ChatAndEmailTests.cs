using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>Slack and Teams incoming webhooks (to a loopback receiver) and e-mail to a real SMTP sink (npm smtp-server).</summary>
public sealed class ChatAndEmailTests
{
    private static string Organisation(Uri receiver) => """
        apiVersion: gatehouse/v1
        organisation: testco
        admins: [root]
        environments:
          - name: development
            approval: auto
          - name: staging
          - name: production
            approval: owner
        teams:
          - name: payments
            members: [alice, paul]
            notify:
              - kind: slack
                urlEnv: GATEHOUSE_SLACK_TEST
              - kind: teams
                urlEnv: GATEHOUSE_TEAMS_TEST
              - kind: email
                to: [payments@testco.example, paul@testco.example]
          - name: people
            members: [carol, cid]
            notify:
              - kind: slack
                urlEnv: GATEHOUSE_SLACK_PEOPLE
          - name: shop
            members: [sam]
        """;

    [InteropFact("smtp-server")]
    public async Task Slack_Teams_And_Email_GetAReadableMessage_LinkingToTheRequest()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sink = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartWithAsync(NotificationScenario.Settings(
            $"--GATEHOUSE_SLACK_TEST={receiver.Url}slack", $"--GATEHOUSE_SLACK_PEOPLE={receiver.Url}slack-people", $"--GATEHOUSE_TEAMS_TEST={receiver.Url}teams",
            "--GATEHOUSE_SMTP_HOST=127.0.0.1", $"--GATEHOUSE_SMTP_PORT={sink.Port}", "--GATEHOUSE_SMTP_FROM=gatehouse@testco.example",
            "--GATEHOUSE_SMTP_USER=mailer", "--GATEHOUSE_SMTP_PASSWORD=test-password",
            "--GATEHOUSE_PUBLIC_URL=https://gatehouse.testco.example"));

        using var bootstrap = server.Client();
        var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Organisation(receiver.Url) } });
        Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        var root = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
        using var admin = server.Client(root);

        // A reason that tries to ping everyone: Slack must show it, not act on it.
        var billing = TestOrganisation.Billing.Replace("reason: Print the customer's name on invoices", "reason: <!channel> print names", StringComparison.Ordinal);
        Assert.Contains("<!channel>", billing, StringComparison.Ordinal);
        var push = await admin.PostAsJsonAsync("api/v1/push", new { manifests = new[] { ("customers/gatehouse.yaml", TestOrganisation.Customers), ("billing/gatehouse.yaml", billing) }.Select(m => new { path = m.Item1, content = m.Item2 }) });
        Assert.True(push.IsSuccessStatusCode, await push.Content.ReadAsStringAsync());

        // development is auto: billing's request is approved at once, which billing's owners (payments) hear of.
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/slack") && r.Any(w => w.Path == "/teams"));
        var slack = JsonNode.Parse(receiver.Received.First(w => w.Path == "/slack").Body)!;
        Assert.StartsWith("Access approved: billing → customers:profile.read in development", slack["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var section = slack["blocks"]![0]!["text"]!["text"]!.GetValue<string>();
        Assert.Matches(@"<https://gatehouse\.testco\.example/requests/\d+\|Open in Gatehouse>", section);

        // The providing team hears of the request, with its reason shown, not acted on.
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/slack-people"));
        var filed = receiver.Received.First(w => w.Path == "/slack-people").Body;
        Assert.Contains("&lt;!channel&gt; print names", JsonNode.Parse(filed)!["blocks"]![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", filed, StringComparison.Ordinal);

        var teams = JsonNode.Parse(receiver.Received.First(w => w.Path == "/teams").Body)!;
        Assert.Equal("MessageCard", teams["@type"]!.GetValue<string>());
        Assert.Matches(@"^https://gatehouse\.testco\.example/requests/\d+$", teams["potentialAction"]![0]!["targets"]![0]!["uri"]!.GetValue<string>());

        var mail = await sink.NextAsync();
        Assert.Equal("gatehouse@testco.example", mail["from"]!.GetValue<string>());
        Assert.Equal(["payments@testco.example", "paul@testco.example"], mail["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("mailer", mail["user"]!.GetValue<string>());
        var data = mail["data"]!.GetValue<string>();
        using var message = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data)));
        Assert.Equal("Access approved: billing → customers:profile.read in development", message.Subject);
        Assert.Matches(@"https://gatehouse\.testco\.example/requests/\d+", message.TextBody);
        Assert.DoesNotContain("test-password", data, StringComparison.Ordinal);
    }

    /// <summary>tests/interop/smtp-sink.mjs: a real SMTP server on loopback that prints each message as a JSON line.</summary>
    private sealed class SmtpSink : IDisposable
    {
        private readonly Process _process;

        private SmtpSink(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static async Task<SmtpSink> StartAsync()
        {
            var process = Process.Start(new ProcessStartInfo("node", "smtp-sink.mjs")
            {
                WorkingDirectory = InteropNode.Folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var first = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("smtp-sink.mjs printed nothing: " + await process.StandardError.ReadToEndAsync());
            return new SmtpSink(process, JsonNode.Parse(first)!["port"]!.GetValue<int>());
        }

        public async Task<JsonNode> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            return JsonNode.Parse(line ?? throw new InvalidOperationException("the SMTP sink stopped"))!;
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
