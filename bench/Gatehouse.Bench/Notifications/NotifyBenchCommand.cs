using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Bench.Load;

namespace Gatehouse.Bench.Notifications;

/// <summary>
/// <c>notify-bench</c>: what notifications add to an approval. Two <c>gatehouse serve</c>
/// children on SQLite, one whose organisation declares a signed webhook for every team (to a
/// receiver in this process) and one with none, each with the same pending requests. Approvals
/// alternate between them one at a time (so both see the same machine), in several rounds; each
/// round prints, per server, the client's p50/p99, the server's own time for the approve route
/// (the <c>http.server.request.duration</c> histogram of <c>/metrics</c>: mean, and p99 estimated
/// within its buckets) and the server's CPU time per approval (utime+stime from /proc, taken
/// once the round's webhooks have arrived, so it includes the deliveries). The verdict is on the
/// median of the rounds' ratios, which one slow round cannot move. <c>--control yes</c> gives both
/// servers no targets (an A/A run): what it shows as "added" is the noise of the method and machine.
/// </summary>
internal static class NotifyBenchCommand
{
    private const string Bootstrap = "ghb_notify_bench_0123456789abcdef0123";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const double Goal = 10.0;

    public static int Run(Arguments arguments)
    {
        var perRound = arguments.Int("requests", 500);
        var rounds = arguments.Int("rounds", 5);
        if (perRound < 10 || rounds < 1)
        {
            throw new ArgumentException("--requests must be at least 10 (approvals per server per round) and --rounds at least 1");
        }

        var warmup = Math.Max(20, perRound / 10);
        var root = RepositoryRoot.Find();
        var gatehouse = Path.GetFullPath(arguments.Option("gatehouse") ?? Path.Combine(root, "src", "Gatehouse.Cli", "bin", "Release", "net10.0", "gatehouse.dll"));
        if (!File.Exists(gatehouse))
        {
            throw new ArgumentException($"{gatehouse} does not exist: dotnet build -c Release src/Gatehouse.Cli first, or pass --gatehouse");
        }

        // --control yes: the second server gets no targets either, so "added" shows the method's own noise (an A/A run).
        var control = arguments.Option("control") switch
        {
            null or "no" => false,
            "yes" => true,
            var other => throw new ArgumentException($"--control is `{other}`; expected yes or no"),
        };
        var dataRoot = Path.GetFullPath(arguments.Option("data") ?? Path.GetTempPath());
        if (!Directory.Exists(dataRoot))
        {
            throw new ArgumentException($"--data {dataRoot} is not a folder");
        }

        using var receiver = new HttpListener();
        var receiverPort = FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{receiverPort}/");
        receiver.Start();
        var received = 0;
        _ = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                try
                {
                    var context = await receiver.GetContextAsync();
                    Interlocked.Increment(ref received);
                    context.Response.StatusCode = 204;
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });

        var seeded = warmup + (perRound * rounds);
        using var without = Server.Start(gatehouse, null, dataRoot);
        using var with = Server.Start(gatehouse, control ? null : $"http://127.0.0.1:{receiverPort}/", dataRoot);
        var servers = new[] { without, with };
        Console.WriteLine($"seeding {seeded} pending requests on each server...");
        var ids = servers.Select(s => s.SeedAsync(seeded).GetAwaiter().GetResult()).ToArray();

        // The filings' webhooks (one per request, to the provider's team) go out before anything is measured.
        var hooksPerRequest = control ? 0 : 1;
        var expected = seeded * hooksPerRequest;
        WaitForWebhooks(() => Volatile.Read(ref received), expected);
        var next = 0;
        Approve(servers, ids, ref next, warmup, null);
        expected += warmup * hooksPerRequest;
        WaitForWebhooks(() => Volatile.Read(ref received), expected);

        var results = new List<Round>();
        for (var r = 0; r < rounds; r++)
        {
            var cpu = servers.Select(s => s.CpuSeconds()).ToArray();
            var histograms = servers.Select(s => s.ApproveHistogram()).ToArray();
            var ticks = new[] { new List<long>(perRound), new List<long>(perRound) };
            Approve(servers, ids, ref next, perRound, ticks);

            // The round's approvals each owe one webhook (to the consumer's team); CPU is read once they arrived.
            expected += perRound * hooksPerRequest;
            WaitForWebhooks(() => Volatile.Read(ref received), expected);
            var sides = new Side[2];
            for (var s = 0; s < 2; s++)
            {
                var client = LatencySummary.Percentiles([.. ticks[s]]);
                var server = servers[s].ApproveHistogram().Since(histograms[s]);
                sides[s] = new Side(client.P50, client.P99, server.Mean, server.Percentile(0.99), (servers[s].CpuSeconds() - cpu[s]) * 1000 / perRound, server.Count);
            }

            results.Add(new Round(r + 1, sides[0], sides[1], [.. ticks[0]], [.. ticks[1]]));
            Console.WriteLine($"round {r + 1}/{rounds} done");
        }

        Print(results, perRound, warmup, dataRoot, Volatile.Read(ref received), expected, control);
        receiver.Stop();
        return 0;
    }

    /// <summary>Approves <paramref name="count"/> requests on each server, alternating which goes first; records client ticks when <paramref name="ticks"/> is given.</summary>
    private static void Approve(Server[] servers, long[][] ids, ref int next, int count, List<long>[]? ticks)
    {
        for (var i = 0; i < count; i++, next++)
        {
            foreach (var s in next % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var start = Stopwatch.GetTimestamp();
                using var response = servers[s].Carol.PostAsJsonAsync($"api/v1/requests/{ids[s][next]}/approve", new { comment = "ok" }).GetAwaiter().GetResult();
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"approve {ids[s][next]} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
                }

                ticks?[s].Add(elapsed);
            }
        }
    }

    private static void WaitForWebhooks(Func<int> received, int expected)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (received() < expected)
        {
            if (DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"only {received()} of {expected} webhooks arrived within 120 s");
            }

            Thread.Sleep(50);
        }
    }

    private sealed record Side(double P50, double P99, double ServerMean, double ServerP99, double CpuMs, long ServerCount);

    private sealed record Round(int Number, Side Without, Side With, long[] TicksWithout, long[] TicksWith);

    private static double Added(double without, double with) => (with / without - 1) * 100;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Print(List<Round> rounds, int perRound, int warmup, string dataRoot, int received, int expected, bool control)
    {
        static string F(double v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        static string P(double v) => v.ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        Console.WriteLine();
        Console.WriteLine($"{rounds.Count} rounds of {perRound} approvals per server (after {warmup} warm-up approvals each), SQLite in {dataRoot}, alternating one at a time;");
        Console.WriteLine(control
            ? "CONTROL (A/A): both servers have no targets, so every difference below is noise of the method and the machine;"
            : "ms; w/o = no targets, with = a signed webhook per team; server = http.server.request.duration of the approve route (p99 interpolated in its buckets);");
        Console.WriteLine("cpu = server utime+stime per approval, deliveries included.");
        Console.WriteLine();
        Console.WriteLine("| round | client p50 w/o | with | added | client p99 w/o | with | added | server mean w/o | with | added | server p99 w/o | with | cpu ms w/o | with | added |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rounds)
        {
            var (a, b) = (r.Without, r.With);
            Console.WriteLine($"| {r.Number} | {F(a.P50)} | {F(b.P50)} | {P(Added(a.P50, b.P50))} | {F(a.P99)} | {F(b.P99)} | {P(Added(a.P99, b.P99))} | "
                + $"{F(a.ServerMean)} | {F(b.ServerMean)} | {P(Added(a.ServerMean, b.ServerMean))} | {F(a.ServerP99)} | {F(b.ServerP99)} | "
                + $"{F(a.CpuMs)} | {F(b.CpuMs)} | {P(Added(a.CpuMs, b.CpuMs))} |");
        }

        var p50 = Median(rounds.Select(r => Added(r.Without.P50, r.With.P50)));
        var p99 = Median(rounds.Select(r => Added(r.Without.P99, r.With.P99)));
        var mean = Median(rounds.Select(r => Added(r.Without.ServerMean, r.With.ServerMean)));
        var cpu = Median(rounds.Select(r => Added(r.Without.CpuMs, r.With.CpuMs)));
        Console.WriteLine($"| median of rounds | | | {P(p50)} | | | {P(p99)} | | | {P(mean)} | | | | | {P(cpu)} |");
        var all = (LatencySummary.Percentiles([.. rounds.SelectMany(r => r.TicksWithout)]), LatencySummary.Percentiles([.. rounds.SelectMany(r => r.TicksWith)]));
        Console.WriteLine($"| all rounds pooled | {F(all.Item1.P50)} | {F(all.Item2.P50)} | {P(Added(all.Item1.P50, all.Item2.P50))} | {F(all.Item1.P99)} | {F(all.Item2.P99)} | {P(Added(all.Item1.P99, all.Item2.P99))} | | | | | | | | |");
        Console.WriteLine();
        Console.WriteLine($"spread of the rounds' added p99: {P(rounds.Min(r => Added(r.Without.P99, r.With.P99)))} to {P(rounds.Max(r => Added(r.Without.P99, r.With.P99)))}");
        Console.WriteLine($"webhooks received: {received} (expected {expected}: {(control ? "none in a control run" : "one per filed and one per approved request")})");
        Console.WriteLine($"goal (added < {Goal:0}%, median of rounds): client p50 {(p50 < Goal ? "met" : "NOT met")}, client p99 {(p99 < Goal ? "met" : "NOT met")}, "
            + $"server mean {(mean < Goal ? "met" : "NOT met")}, cpu {(cpu < Goal ? "met" : "NOT met")}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Server : IDisposable
    {
        private readonly Process _process;
        private readonly string _data;
        private readonly string? _hooks;

        private Server(Process process, string data, Uri url, string? hooks)
        {
            _process = process;
            _data = data;
            _hooks = hooks;
            Url = url;
            Carol = new HttpClient { BaseAddress = url };
        }

        public Uri Url { get; }

        public HttpClient Carol { get; private set; }

        public static Server Start(string gatehouse, string? hooks, string dataRoot)
        {
            var data = Path.Combine(dataRoot, "gatehouse-notify-bench-" + Guid.NewGuid().ToString("n"));
            var url = new Uri($"http://127.0.0.1:{FreePort()}/");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { gatehouse, "serve", "--urls", url.ToString().TrimEnd('/') })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["GATEHOUSE_DATA"] = data;
            start.Environment["GATEHOUSE_BOOTSTRAP_TOKEN"] = Bootstrap;
            start.Environment["GATEHOUSE_RATE_LIMITS"] = "off";
            start.Environment["GATEHOUSE_HOOK_BENCH"] = Secret;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; ; i++)
            {
                try
                {
                    if (http.GetAsync("healthz").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                if (i > 600 || process.HasExited)
                {
                    throw new InvalidOperationException("gatehouse serve did not start");
                }

                Thread.Sleep(100);
            }

            return new Server(process, data, url, hooks);
        }

        /// <summary>Server CPU time so far (user + system), in seconds.</summary>
        public double CpuSeconds() => Gatehouse.Bench.Serving.ProcessCpu.Seconds(_process.Id);

        /// <summary>The server's histogram of the approve route's 200 answers, as <c>/metrics</c> shows it now.</summary>
        public Histogram ApproveHistogram()
        {
            using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
            return Histogram.Parse(http.GetStringAsync("metrics").GetAwaiter().GetResult(), "/approve\"");
        }

        /// <summary>The organisation, a provider and <paramref name="count"/> consumers each asking for it in staging; returns the pending request ids, in the consumers' order.</summary>
        public async Task<long[]> SeedAsync(int count)
        {
            using var bootstrap = Client(Bootstrap);
            await Ok(bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Organisation() } }));
            var root = await TokenAsync(bootstrap, "root");
            Carol = Client(await TokenAsync(bootstrap, "carol"));
            using var admin = Client(root);
            var manifests = new List<object> { new { path = "customers/gatehouse.yaml", content = "apiVersion: gatehouse/v1\napp: customers\nowners: [team:people]\nscopes:\n  - name: profile.read\n" } };
            for (var i = 0; i < count; i++)
            {
                manifests.Add(new { path = $"app{i}/gatehouse.yaml", content = $"apiVersion: gatehouse/v1\napp: app{i}\nowners: [team:apps]\nneeds:\n  - app: customers\n    scopes: [profile.read]\n    reason: Bench {i}\n    environments: [staging]\n" });
            }

            await Ok(admin.PostAsJsonAsync("api/v1/push", new { manifests }));

            // One look-up per consumer: a listing answers at most 500 requests.
            var ids = new long[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var json = JsonNode.Parse(await admin.GetStringAsync($"api/v1/requests?state=pending&env=staging&consumer=app{i}", ct))!;
                ids[i] = json["requests"]!.AsArray().Single()!["id"]!.GetValue<long>();
            });
            return ids;
        }

        private string Organisation()
        {
            string Notify(string team) => _hooks is null ? "" : $"\n    notify:\n      - kind: webhook\n        url: {_hooks}{team}\n        secretEnv: GATEHOUSE_HOOK_BENCH";
            return new StringBuilder("apiVersion: gatehouse/v1\norganisation: bench\nadmins: [root]\nenvironments:\n  - name: staging\n    approval: owner\nteams:\n")
                .Append("  - name: people\n    members: [carol]").Append(Notify("people")).Append('\n')
                .Append("  - name: apps\n    members: [dave]").Append(Notify("apps")).Append('\n')
                .ToString();
        }

        private HttpClient Client(string token)
        {
            var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return client;
        }

        private static async Task<string> TokenAsync(HttpClient bootstrap, string user)
        {
            using var response = await bootstrap.PostAsJsonAsync("api/v1/tokens", new { kind = "personal", subject = user });
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        }

        private static async Task Ok(Task<HttpResponseMessage> call)
        {
            using var response = await call;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        public void Dispose()
        {
            Carol.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// A Prometheus histogram (cumulative buckets, seconds) summed over the series whose line holds
    /// <c>route</c> and a 200 status; subtract two readings for what happened in between.
    /// </summary>
    internal sealed record Histogram(double Sum, long Count, (double Le, long Count)[] Buckets)
    {
        private const string Name = "http_server_request_duration_seconds";

        public static Histogram Parse(string metrics, string route)
        {
            var lines = metrics.Split('\n').Where(l => l.Contains(route, StringComparison.Ordinal) && l.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal)).ToList();
            static double Value(string line) => double.Parse(line[(line.LastIndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            var buckets = lines.Where(l => l.StartsWith(Name + "_bucket{", StringComparison.Ordinal))
                .Select(l =>
                {
                    var at = l.IndexOf("le=\"", StringComparison.Ordinal) + 4;
                    var le = l[at..l.IndexOf('"', at)];
                    return (Le: le == "+Inf" ? double.PositiveInfinity : double.Parse(le, System.Globalization.CultureInfo.InvariantCulture), Count: (long)Value(l));
                })
                .GroupBy(b => b.Le).Select(g => (g.Key, g.Sum(b => b.Count))).OrderBy(b => b.Key).ToArray();
            return new Histogram(lines.Where(l => l.StartsWith(Name + "_sum{", StringComparison.Ordinal)).Sum(Value),
                (long)lines.Where(l => l.StartsWith(Name + "_count{", StringComparison.Ordinal)).Sum(Value), buckets);
        }

        public Histogram Since(Histogram before) => new(Sum - before.Sum, Count - before.Count,
            [.. Buckets.Select(b => (b.Le, b.Count - before.Buckets.Where(o => o.Le == b.Le).Sum(o => o.Count)))]);

        /// <summary>Mean in milliseconds.</summary>
        public double Mean => Count == 0 ? double.NaN : Sum / Count * 1000;

        /// <summary>The percentile in milliseconds, interpolated linearly inside its bucket (as Prometheus' histogram_quantile does).</summary>
        public double Percentile(double p)
        {
            if (Count == 0)
            {
                return double.NaN;
            }

            var rank = p * Count;
            var (lower, below) = (0.0, 0L);
            foreach (var (le, cumulative) in Buckets)
            {
                if (cumulative >= rank)
                {
                    return double.IsPositiveInfinity(le) ? lower * 1000 : (lower + ((le - lower) * (rank - below) / Math.Max(1, cumulative - below))) * 1000;
                }

                (lower, below) = (le, cumulative);
            }

            return lower * 1000;
        }
    }
}
