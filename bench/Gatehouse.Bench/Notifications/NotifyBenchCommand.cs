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
/// receiver in this process) and one with none, each with the same pending requests; approvals
/// alternate between them so both see the same machine, and their p50/p99 are printed side by side.
/// </summary>
internal static class NotifyBenchCommand
{
    private const string Bootstrap = "ghb_notify_bench_0123456789abcdef0123";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static int Run(Arguments arguments)
    {
        var requests = arguments.Int("requests", 200);
        var root = RepositoryRoot.Find();
        var gatehouse = Path.GetFullPath(arguments.Option("gatehouse") ?? Path.Combine(root, "src", "Gatehouse.Cli", "bin", "Release", "net10.0", "gatehouse.dll"));
        if (!File.Exists(gatehouse))
        {
            throw new ArgumentException($"{gatehouse} does not exist: dotnet build -c Release src/Gatehouse.Cli first, or pass --gatehouse");
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

        using var without = Server.Start(gatehouse, null);
        using var with = Server.Start(gatehouse, $"http://127.0.0.1:{receiverPort}/");
        var ids = new[] { without, with }.Select(s => s.SeedAsync(requests).GetAwaiter().GetResult()).ToArray();

        var ticks = new[] { new List<long>(), new List<long>() };
        for (var i = 0; i < requests; i++)
        {
            // Alternate which goes first, so neither always follows the other's background work.
            foreach (var s in i % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var server = s == 0 ? without : with;
                var start = Stopwatch.GetTimestamp();
                using var response = server.Carol.PostAsJsonAsync($"api/v1/requests/{ids[s][i]}/approve", new { comment = "ok" }).GetAwaiter().GetResult();
                ticks[s].Add(Stopwatch.GetTimestamp() - start);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"approve {ids[s][i]} answered {(int)response.StatusCode}");
                }
            }
        }

        // Let the worker finish, so the run also shows the deliveries went out.
        var until = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref received) < 2 * requests && DateTime.UtcNow < until)
        {
            Thread.Sleep(100);
        }

        var a = LatencySummary.Percentiles([.. ticks[0].Skip(requests / 10)]);
        var b = LatencySummary.Percentiles([.. ticks[1].Skip(requests / 10)]);
        Console.WriteLine($"approvals per server: {requests} (first {requests / 10} left out as warm-up), SQLite, alternating");
        Console.WriteLine($"{"",-22}{"p50 ms",10}{"p99 ms",10}");
        Console.WriteLine($"{"without targets",-22}{a.P50,10:0.00}{a.P99,10:0.00}");
        Console.WriteLine($"{"with webhook targets",-22}{b.P50,10:0.00}{b.P99,10:0.00}");
        Console.WriteLine($"{"added",-22}{(b.P50 / a.P50 - 1) * 100,9:0.0}%{(b.P99 / a.P99 - 1) * 100,9:0.0}%");
        Console.WriteLine($"webhooks received: {Volatile.Read(ref received)}");
        receiver.Stop();
        return 0;
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

        public static Server Start(string gatehouse, string? hooks)
        {
            var data = Path.Combine(Path.GetTempPath(), "gatehouse-notify-bench-" + Guid.NewGuid().ToString("n"));
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

        /// <summary>The organisation, a provider and <paramref name="count"/> consumers each asking for it in staging; returns the pending request ids, oldest first.</summary>
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
            var json = JsonNode.Parse(await admin.GetStringAsync("api/v1/requests?state=pending&env=staging"))!;
            return [.. json["requests"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).Order()];
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
}
