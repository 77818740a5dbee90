namespace Gatehouse.Bench.Serving;

/// <summary>
/// The whole run on one engine, in two phases. Push: a fresh server with every core, the CLI
/// pushing the generated organisation twice (the second push must change nothing). Load: the same
/// data served by a restarted server pinned to its core, then wrk and the open-loop generator on
/// the other core against <c>GET /healthz</c>, <c>GET /api/v1/me</c> and <c>POST /api/v1/check</c>.
/// </summary>
internal static class EngineBench
{
    private static readonly TimeSpan PushLimit = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The bootstrap token only sets up the first admins (it pushes no manifests): it pushes the
    /// organisation file and creates the first admin's personal token, which pushes the rest.
    /// </summary>
    internal static string AdminToken(string gatehouse, string data, Dictionary<string, string> bootstrap)
    {
        var organisation = Path.Combine(data, "gatehouse.org.yaml");
        var admin = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(organisation), @"admins: \[([^,\]\s]+)").Groups[1].Value;
        var pushed = ChildRun.Run([gatehouse, "push", organisation], PushLimit, bootstrap);
        var token = ChildRun.Run([gatehouse, "token", "create", "--user", admin], PushLimit, bootstrap);
        return pushed.ExitCode == 0 && token.ExitCode == 0
            ? token.Output.Trim()
            : throw new InvalidOperationException(pushed.ExitCode != 0 ? pushed.Describe("organisation push") : token.Describe("token create"));
    }

    public static EngineResult Run(string engine, string? postgres, ServerBenchOptions o)
    {
        var work = Directory.CreateTempSubdirectory($"gatehouse-bench-{engine}-").FullName;
        var settings = new ServerSettings(engine, Path.Combine(work, "data"), postgres);
        var log = Path.Combine(work, "server.log");
        Step(engine, $"work folder {work}");
        var succeeded = false;
        try
        {
            ChildRun push, rePush;
            CheckRequest check;
            using (var server = ServerProcess.Start(o.Gatehouse, settings, o.Pinning, pinned: false, log))
            {
                var bootstrap = new Dictionary<string, string> { ["GATEHOUSE_URL"] = server.Url.ToString(), ["GATEHOUSE_TOKEN"] = settings.BootstrapToken };
                var client = new Dictionary<string, string> { ["GATEHOUSE_URL"] = server.Url.ToString(), ["GATEHOUSE_TOKEN"] = AdminToken(o.Gatehouse, o.Data, bootstrap) };
                push = ChildRun.Run([o.Gatehouse, "push", o.Data], PushLimit, client, Path.Combine(work, "push-1.txt"));
                Step(engine, $"push of {o.Apps} apps: {push.Seconds:F1} s, {(push.ExitCode == 0 ? push.LastLine : push.Describe("push"))}");
                rePush = ChildRun.Run([o.Gatehouse, "push", o.Data], PushLimit, client, Path.Combine(work, "push-2.txt"));
                Step(engine, $"re-push of the same files: {rePush.Seconds:F1} s, {(rePush.ExitCode == 0 ? rePush.LastLine : rePush.Describe("push"))}");
                if (push.ExitCode != 0)
                {
                    throw new InvalidOperationException($"push failed; see {work}");
                }

                check = CheckRequest.Prepare(server.Url, client["GATEHOUSE_TOKEN"], o.Data, o.Environment, Path.Combine(work, "check.json"));
            }

            // Two replicas on PostgreSQL (issue 15): both serve, the load is spread over them, and
            // each hears the other's changes (ADR 0033). SQLite has one server per data folder.
            var replicas = engine == "postgresql" ? Math.Max(1, o.Replicas) : 1;
            using var hello = ServerProcess.StartHello(o.Hello, o.Pinning, Path.Combine(work, "hello.log"));
            var servers = new List<ServerProcess>();
            try
            {
                for (var i = 0; i < replicas; i++)
                {
                    servers.Add(ServerProcess.Start(o.Gatehouse, settings, o.Pinning, pinned: true, log));
                }

                var server = servers[0];
                var description = check.Describe(check.States(server.Url));
                Step(engine, $"check body: {description}; {replicas} replica(s) serving");
                List<(Uri Url, int Pid)> At(string path) => [.. servers.Select(s => (new Uri(s.Url, path), s.Id))];
                var helloUrl = new Uri(hello.Url, "/");
                var healthz = new Uri(server.Url, "healthz");
                var checkUrl = new Uri(server.Url, "api/v1/check");
                WrkRun Hello(string label, int seconds) =>
                    WrkRun.Run(label, helloUrl, o.WrkScript, null, null, o.Connections, seconds, o.Pinning, hello.Id);
                WrkRun Trivial(string label, int seconds) =>
                    WrkRun.RunSpread(label, At("healthz"), o.WrkScript, null, null, o.Connections, seconds, o.Pinning);
                // The trivial endpoint of the API: the same token and authentication as check, and no other work.
                WrkRun Authenticated(string label, int seconds) =>
                    WrkRun.RunSpread(label, At("api/v1/me"), o.WrkScript, null, check.Token, o.Connections, seconds, o.Pinning);
                WrkRun Check(string label, int seconds) =>
                    WrkRun.RunSpread(label, At("api/v1/check"), o.WrkScript, check.BodyFile, check.Token, o.Connections, seconds, o.Pinning);
                WrkRun Decisions(string label, int seconds) =>
                    WrkRun.RunSpread(label, At("api/v1/decisions"), o.WrkScript, check.DecisionsBodyFile, check.Token, o.Connections, seconds, o.Pinning);

                Hello("warm-up", o.Warmup);
                Trivial("warm-up", o.Warmup);
                Check("warm-up", o.Warmup);
                Decisions("warm-up", o.Warmup);
                var hellos = new List<WrkRun>();
                var trivial = new List<WrkRun>();
                var authenticated = new List<WrkRun>();
                var checks = new List<WrkRun>();
                var decisions = new List<WrkRun>();
                for (var round = 1; round <= o.Rounds; round++)
                {
                    hellos.Add(Show(engine, Hello($"Kestrel hello      round {round}", o.Seconds)));
                    trivial.Add(Show(engine, Trivial($"GET /healthz       round {round}", o.Seconds)));
                    authenticated.Add(Show(engine, Authenticated($"GET /api/v1/me     round {round}", o.Seconds)));
                    checks.Add(Show(engine, Check($"POST /api/v1/check round {round}", o.Seconds)));
                    decisions.Add(Show(engine, Decisions($"POST decisions x{CheckRequest.DecisionBatch} round {round}", o.Seconds)));
                }

                var openTrivial = OpenLoopRun.Run(healthz, null, null, o.Rate, o.Seconds, o.Warmup, o.Pinning);
                Step(engine, $"open loop {openTrivial}");
                var before = ServerTiming.Read(server.Url, "/api/v1/check");
                var openCheck = OpenLoopRun.Run(checkUrl, check.BodyFile, check.Token, o.Rate, o.Seconds, o.Warmup, o.Pinning);
                var serverTiming = ServerTiming.Read(server.Url, "/api/v1/check").Since(before);
                Step(engine, $"open loop {openCheck}; {serverTiming}");
                var rss = servers.Select(s => ServerMemory.Read(s.Id)).ToList();
                succeeded = true;
                return new EngineResult(engine, replicas, push, rePush, description, hellos, trivial, authenticated, checks, decisions, openTrivial, openCheck, serverTiming, rss);
            }
            finally
            {
                foreach (var s in servers)
                {
                    s.Dispose();
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            Console.WriteLine($"[{engine}] FAILED: {e.Message}\n[{engine}] server log and outputs kept in {work}");
            throw;
        }
        finally
        {
            if (succeeded && !o.Keep)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static WrkRun Show(string engine, WrkRun run)
    {
        Step(engine, $"wrk {run.Label}: {run.RequestsPerSecond,7:F0} req/s  p50 {run.P50:F2} ms  p99 {run.P99:F2} ms  server CPU {run.CpuMicroseconds:F0} µs/request  errors {run.Errors}");
        return run;
    }

    private static void Step(string engine, string message) => Console.WriteLine($"[{engine}] {message}");
}
