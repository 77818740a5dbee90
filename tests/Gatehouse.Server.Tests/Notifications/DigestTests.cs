using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>
/// <c>digest</c> on a target, end to end: a real server over a SQLite file on a clock that runs in
/// real time from 07:00 UTC (so the worker polls as it does in production) and is moved past the
/// digest hour by the test; Slack and webhook targets point at a receiver on loopback.
/// </summary>
public sealed class DigestTests
{
    private const string DailySlack = "GATEHOUSE_SLACK_DIGEST";
    private const string NowSlack = "GATEHOUSE_SLACK_NOW";
    private const string MutedSlack = "GATEHOUSE_SLACK_QUIET";

    // Every target on staging, so each staging event reaches all of them.
    private static string Organisation(Uri receiver) => $$"""
        apiVersion: gatehouse/v1
        organisation: testco
        admins: [root]
        environments:
          - name: development
            approval: auto
          - name: staging
            notify:
              - name: daily
                kind: slack
                urlEnv: {{DailySlack}}
                digest: daily
              - name: now
                kind: slack
                urlEnv: {{NowSlack}}
              - name: quiet
                kind: slack
                urlEnv: {{MutedSlack}}
                digest: muted
              - name: hook
                kind: webhook
                url: {{receiver}}hook
                secretEnv: {{NotificationScenario.SecretEnv}}
                digest: daily
          - name: production
            approval: owner
        teams:
          - name: payments
            members: [alice, paul]
          - name: people
            members: [carol, cid]
          - name: shop
            members: [sam]
        """;

    [Fact]
    public async Task Daily_SendsTheDaysEventsAsOneMessageAtTheDigestHour_AcrossARestart_MutedSendsNothing_ImmediateSendsEach()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var day = DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1);
        var clock = new ShiftedClock(new DateTimeOffset(day.AddHours(7), TimeSpan.Zero));
        string[] settings = NotificationScenario.Settings("--GATEHOUSE_NOTIFY_DIGEST_HOUR=8", "--GATEHOUSE_PUBLIC_URL=https://gatehouse.testco.example",
            $"--{DailySlack}={receiver.Url}daily", $"--{NowSlack}={receiver.Url}now", $"--{MutedSlack}={receiver.Url}quiet");
        await using var server = await Restartable.StartAsync(clock, settings);

        // 07:00: a day's work on staging, from several people, several events per request.
        using (var bootstrap = LoopbackGatehouse.Client(server.Url, TestServer.BootstrapToken))
        {
            var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Organisation(receiver.Url) } });
            Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
            var root = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
            using var admin = LoopbackGatehouse.Client(server.Url, root);
            var manifests = await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
            Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());
            await NotificationScenario.RaiseEveryKindAsync(server.Url, root);
            server.Root = root;
        }

        // The immediate target gets each event as it happens; the daily ones wait, the muted one has none.
        var before = await WaitForImmediateAsync(server, receiver, "Access revoked");
        Assert.True(before.Count >= 5, $"only {before.Count} staging event(s) reached the immediate target");
        await Task.Delay(1000); // 20 polls of the worker
        Assert.Empty(Got(receiver, "/daily"));
        Assert.Empty(Got(receiver, "/hook"));

        // The server restarts before the digest hour; the waiting digest is in the database, not in the worker.
        await server.RestartAsync();
        using (var bootstrap = LoopbackGatehouse.Client(server.Url, TestServer.BootstrapToken))
        using (var cid = LoopbackGatehouse.Client(server.Url, await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "cid")))
        using (var admin = LoopbackGatehouse.Client(server.Url, server.Root))
        {
            // The second owner's vote on shop's profile.write, after the restart: the same day, the same digest.
            var id = await NotificationScenario.PendingAsync(admin, "shop", "staging", "profile.write");
            var approved = await cid.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "two of two" });
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        }

        var immediate = await WaitForImmediateAsync(server, receiver, "two of two");
        Assert.Equal(before.Count + 1, immediate.Count);
        await Task.Delay(1000);
        Assert.Empty(Got(receiver, "/daily"));
        Assert.Empty(Got(receiver, "/hook"));

        // 08:00:01, the digest hour: one Slack message with every event of the day, in order; the webhook one request per event.
        clock.MoveTo(new DateTimeOffset(day.AddHours(8).AddSeconds(1), TimeSpan.Zero));
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/daily") && r.Count(w => w.Path == "/hook") >= immediate.Count);
        await WaitForAsync(server, c => c.Pending == 0, "every digest delivery sent");
        await Task.Delay(1000); // a second digest message would arrive by now

        var digest = JsonNode.Parse(Assert.Single(Got(receiver, "/daily")).Body)!;
        Assert.Equal($"Gatehouse: {immediate.Count} events today", digest["text"]!.GetValue<string>());
        AssertSameEventsInOrder(immediate, digest);

        var hooks = Got(receiver, "/hook");
        Assert.Equal(immediate.Count, hooks.Count);
        Assert.Equal(hooks.Count, hooks.Select(h => h.Id).Distinct().Count());
        Assert.Equal(hooks.Count, hooks.Select(h => NotificationScenario.Envelope(h)["id"]!.GetValue<string>()).Distinct().Count());
        WebhookDeliveryTests.AssertInOrderPerSubject(hooks);

        // Muted: nothing, ever; immediate: nothing more.
        Assert.Empty(Got(receiver, "/quiet"));
        Assert.Equal(immediate.Count, Got(receiver, "/now").Count);
        var counts = await CountsAsync(server);
        Assert.Equal((0L, 3L * immediate.Count, 0L), counts);
    }

    [Fact]
    public async Task Daily_WhenTheServerIsDownAtTheDigestHour_SendsTheDigestWhenItStarts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var day = DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1);
        var clock = new ShiftedClock(new DateTimeOffset(day.AddHours(7), TimeSpan.Zero));
        string[] settings = NotificationScenario.Settings("--GATEHOUSE_NOTIFY_DIGEST_HOUR=8", "--GATEHOUSE_PUBLIC_URL=https://gatehouse.testco.example",
            $"--{DailySlack}={receiver.Url}daily", $"--{NowSlack}={receiver.Url}now", $"--{MutedSlack}={receiver.Url}quiet");
        await using var server = await Restartable.StartAsync(clock, settings);
        using (var bootstrap = LoopbackGatehouse.Client(server.Url, TestServer.BootstrapToken))
        {
            var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Organisation(receiver.Url) } });
            Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
            server.Root = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
            using var admin = LoopbackGatehouse.Client(server.Url, server.Root);
            var manifests = await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
            Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());
        }

        var immediate = await WaitForImmediateAsync(server, receiver, "Access requested");

        // Stopped at 07:xx, started again at 09:30: the digest that fell due meanwhile goes out once.
        await server.StopAsync();
        clock.MoveTo(new DateTimeOffset(day.AddHours(9).AddMinutes(30), TimeSpan.Zero));
        await server.StartAgainAsync();
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "/daily"));
        await WaitForAsync(server, c => c.Pending == 0, "every digest delivery sent");
        await Task.Delay(1000);

        var digest = JsonNode.Parse(Assert.Single(Got(receiver, "/daily")).Body)!;
        AssertSameEventsInOrder(immediate, digest);
        Assert.Empty(Got(receiver, "/quiet"));
    }

    /// <summary>
    /// Waits until every event so far has reached the immediate target and nothing else is being
    /// sent (delivered = the immediate target's messages; pending = the two daily targets' share),
    /// with a message containing <paramref name="last"/> among them. Returns the immediate target's section texts, in order.
    /// </summary>
    private static async Task<List<string>> WaitForImmediateAsync(Restartable server, WebhookReceiver receiver, string last)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = Got(receiver, "/now").Select(w => JsonNode.Parse(w.Body)!).ToList();
            var counts = await CountsAsync(server);
            if (now.Any(n => n.ToJsonString().Contains(last, StringComparison.Ordinal)) && counts.Delivered == now.Count && counts.Pending == 2 * now.Count)
            {
                Assert.All(now, n => Assert.Single(n["blocks"]!.AsArray()));
                return [.. now.Select(n => n["blocks"]![0]!["text"]!["text"]!.GetValue<string>())];
            }

            Assert.True(DateTime.UtcNow < until, $"the immediate target has {now.Count} message(s); deliveries {counts}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The digest has a section per event the immediate target got (the same text), and a request's
    /// filing comes before what followed it (the digest is in the order things happened).
    /// </summary>
    private static void AssertSameEventsInOrder(List<string> immediate, JsonNode digest)
    {
        var sections = digest["blocks"]!.AsArray().Select(b => b!["text"]!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(immediate.Order(StringComparer.Ordinal), sections.Order(StringComparer.Ordinal));
        foreach (var request in sections.GroupBy(t => t[t.LastIndexOf("/requests/", StringComparison.Ordinal)..]).Where(g => g.Count() > 1))
        {
            Assert.StartsWith("*Access requested", request.First(), StringComparison.Ordinal);
        }
    }

    private static async Task WaitForAsync(Restartable server, Func<(long Pending, long Delivered, long Dead), bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!done(await CountsAsync(server)))
        {
            Assert.True(DateTime.UtcNow < until, $"not {what} within 30 s: {await CountsAsync(server)}");
            await Task.Delay(50);
        }
    }

    private static async Task<(long Pending, long Delivered, long Dead)> CountsAsync(Restartable server)
    {
        using var admin = LoopbackGatehouse.Client(server.Url, server.Root);
        var json = await LoopbackGatehouse.Json(await admin.GetAsync("api/v1/notifications/dead-letters"));
        return (json["pending"]!.GetValue<long>(), json["delivered"]!.GetValue<long>(), json["dead"]!.GetValue<long>());
    }

    private static List<ReceivedWebhook> Got(WebhookReceiver receiver, string path) => [.. receiver.Received.Where(w => w.Path == path)];

    /// <summary>The system clock from a chosen start, so timers and polls run in real time; <see cref="MoveTo"/> jumps it.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private long _offsetTicks = (start - TimeProvider.System.GetUtcNow()).Ticks;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void MoveTo(DateTimeOffset when) => Interlocked.Exchange(ref _offsetTicks, (when - base.GetUtcNow()).Ticks);
    }

    /// <summary>A server on a SQLite folder that outlives it: stopped and started again on the same data and clock.</summary>
    private sealed class Restartable : IAsyncDisposable
    {
        private readonly TimeProvider _time;
        private readonly string[] _settings;
        private readonly GatehouseOptions _options;
        private WebApplication? _app;
        private IGatehouseStore _store;

        private Restartable(TimeProvider time, string[] settings, GatehouseOptions options, IGatehouseStore store)
        {
            _time = time;
            _settings = settings;
            _options = options;
            _store = store;
        }

        public Uri Url { get; private set; } = null!;

        public string Root { get; set; } = "";

        public static async Task<Restartable> StartAsync(TimeProvider time, string[] settings)
        {
            var (directory, store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-digest-test-", time: time);
            var server = new Restartable(time, settings, new GatehouseOptions { DataDirectory = directory, BootstrapToken = TestServer.BootstrapToken }, store);
            (server._app, server.Url) = await LoopbackGatehouse.StartAsync(server._options, store, directory, time, settings);
            return server;
        }

        public async Task StopAsync()
        {
            await _app!.StopAsync();
            await _app.DisposeAsync();
            _app = null;
            if (_store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        public async Task StartAgainAsync()
        {
            (_, _store) = await LoopbackGatehouse.CreateStoreAsync("gatehouse-digest-test-", dataDirectory: _options.DataDirectory, time: _time);
            (_app, Url) = await LoopbackGatehouse.StartAsync(_options, _store, _options.DataDirectory, _time, _settings);
        }

        public async Task RestartAsync()
        {
            await StopAsync();
            await StartAgainAsync();
        }

        public ValueTask DisposeAsync() => LoopbackGatehouse.StopAsync(_app, _store, _options.DataDirectory);
    }
}
