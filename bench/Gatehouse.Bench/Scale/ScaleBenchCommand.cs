using System.Globalization;
using Gatehouse.Bench.Generation;
using Gatehouse.Bench.Serving;

namespace Gatehouse.Bench.Scale;

/// <summary>
/// <c>scale-bench</c>: the organisation of server-bench (10,000 apps) beside the same apps topped up
/// to a million grants (issue 15), on SQLite. Each is pushed to a fresh server and timed; then both
/// are served at once by restarted servers pinned to the same core, and wrk sends them checks and
/// decisions that rotate over every app, alternating between the two; then each server's resident
/// memory is read. See docs/benchmarks.md, "Scale: a million grants".
/// </summary>
internal static class ScaleBenchCommand
{
    public static int Run(Arguments arguments)
    {
        var o = ScaleOptions.From(arguments, RepositoryRoot.Find());
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"server: {o.Gatehouse} serve on SQLite; {o.Pinning.Describe()}");
        GenerateCommand.EnsureGenerated(o.BaselineData, o.Apps, o.Seed);
        GenerateCommand.EnsureGenerated(o.ScaleData, o.Apps, o.Seed, o.Grants);
        Console.WriteLine($"data: {Path.GetRelativePath(o.Root, o.BaselineData)} and {Path.GetRelativePath(o.Root, o.ScaleData)} (generated once)");
        if (o.PushOnly)
        {
            return PushOnly(o);
        }

        var sides = new List<Side>
        {
            new($"{o.Apps} apps", o.BaselineData),
            new($"{o.Grants / 1000}k grants", o.ScaleData),
        };
        var passed = false;
        try
        {
            foreach (var side in sides)
            {
                side.Push(o);
            }

            if (sides.All(s => s.Pushed))
            {
                Serve(sides, o);
            }

            passed = Report(sides, o);
        }
        finally
        {
            foreach (var side in sides)
            {
                side.Dispose();
                CleanUp(side, passed, o);
            }
        }

        return Verdict(passed);
    }

    /// <summary>A side's folder is deleted after a pass, unless <c>--keep yes</c>; kept and named otherwise.</summary>
    private static void CleanUp(Side side, bool passed, ScaleOptions o)
    {
        if (passed && !o.Keep)
        {
            Directory.Delete(side.Work, recursive: true);
        }
        else
        {
            Console.WriteLine($"[{side.Name}] server log and outputs kept in {side.Work}");
        }
    }

    private static int Verdict(bool passed)
    {
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Console.WriteLine(passed ? "RESULT: PASS" : "RESULT: FAIL");
        return passed ? 0 : 1;
    }

    /// <summary>
    /// <c>--push-only yes</c>: only the million-grant push on a fresh server, no load phase, to
    /// compare builds of the push quickly (alternate <c>--gatehouse</c> between them).
    /// </summary>
    private static int PushOnly(ScaleOptions o)
    {
        using var side = new Side($"{o.Grants / 1000}k grants", o.ScaleData);
        side.Push(o, requests: false);
        var passed = Goal(side.Pushed && side.PushRun!.Seconds < ScaleOptions.PushGoalSeconds,
            string.Create(CultureInfo.InvariantCulture, $"push of {o.Grants} grants: {side.PushRun?.Seconds:F1} s (under {ScaleOptions.PushGoalSeconds:F0} s; server CPU {side.PushCpuSeconds:F1} s, peak RSS {side.PushMemory?.PeakMiB:F0} MiB)"));
        CleanUp(side, passed, o);
        return Verdict(passed);
    }

    private static void Serve(List<Side> sides, ScaleOptions o)
    {
        // The pushes leave gigabytes of the million-grant database to write back: flushed now, so the
        // writeback does not run beside the first rounds of one side and not the other.
        Sync();
        foreach (var side in sides)
        {
            side.Start(o);
        }

        // Both send the same check bodies, the 10,000-app organisation's: every need in them is in
        // the million-grant organisation too (the top-up only adds needs), so a round does the same
        // work on both, and the ratio measures the scale, not the size of the request. They are
        // copied over the side's own, so a kept folder holds what was sent (run-scale-serve.sh).
        var baseline = sides[0];
        foreach (var side in sides.Skip(1))
        {
            File.Copy(baseline.Requests!.CheckFile, side.Requests!.CheckFile, overwrite: true);
            side.Agreement = Agreement(baseline, side);
            Console.WriteLine($"[{side.Name}] {side.Agreement.Describe(baseline.Name)}");
        }

        foreach (var side in sides)
        {
            side.Run("warm-up", o.Warmup, checks: true, o);
            side.Run("warm-up", o.Warmup, checks: false, o);
        }

        for (var round = 1; round <= o.Rounds; round++)
        {
            foreach (var side in sides)
            {
                side.Checks.Add(side.Run($"POST /api/v1/check     round {round}", o.Seconds, checks: true, o));
            }
        }

        for (var round = 1; round <= o.Rounds; round++)
        {
            foreach (var side in sides)
            {
                side.Decisions.Add(side.Run($"POST /api/v1/decisions round {round}", o.Seconds, checks: false, o));
            }
        }

        foreach (var side in sides)
        {
            side.After = ProcessMemory.Read(side.Server!.Id);
            Console.WriteLine($"[{side.Name}] after the checks and decisions: {side.After}");
        }
    }

    /// <summary>Every check body of the baseline sent once to each side: the two must answer it with the same states.</summary>
    private static CheckAgreement Agreement(Side baseline, Side side)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var bodies = 0;
        var disagreements = new List<string>();
        foreach (var line in File.ReadLines(baseline.Requests!.CheckFile))
        {
            var body = line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..];
            var (expected, actual) = (baseline.Answer(http, body), side.Answer(http, body));
            bodies++;
            if (expected != actual)
            {
                disagreements.Add($"{body}: {baseline.Name} {expected}, {side.Name} {actual}");
            }
        }

        return new CheckAgreement(bodies, disagreements.Count, disagreements.FirstOrDefault());
    }

    /// <summary>How many check bodies two organisations were sent, how many they answered differently, and the first such.</summary>
    internal sealed record CheckAgreement(int Bodies, int Disagreements, string? First)
    {
        public string Describe(string baseline) => Disagreements == 0
            ? $"the {Bodies} check bodies of {baseline}: each answered with the same states by both (the same work per request)"
            : $"the {Bodies} check bodies of {baseline}: {Disagreements} answered differently, first {First}";
    }

    private static bool Report(List<Side> sides, ScaleOptions o)
    {
        Console.WriteLine();
        Console.WriteLine($"wrk -t1 -c{o.Connections}, {o.Rounds} rounds of {o.Seconds} s per endpoint and organisation, alternating; best round shown; the admin's personal token");
        Console.WriteLine($"{"organisation",-14} {"push s",7} {"CPU s",6} {"push peak",10} {"check req/s",12} {"CPU µs",7} {"decide req/s",13} {"CPU µs",7} {"RSS after",10} {"peak",7}");
        foreach (var s in sides)
        {
            var check = s.Checks.MaxBy(r => r.RequestsPerSecond);
            var decide = s.Decisions.MaxBy(r => r.RequestsPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Name,-14} {s.PushRun?.Seconds,7:F1} {s.PushCpuSeconds,6:F1} {s.PushMemory?.PeakMiB,7:F0} MiB {check?.RequestsPerSecond,12:F0} {check?.CpuMicroseconds,7:F0} {decide?.RequestsPerSecond,13:F0} {decide?.CpuMicroseconds,7:F0} {s.After?.RssMiB,6:F0} MiB {s.After?.PeakMiB,3:F0} MiB"));
        }

        foreach (var s in sides.Where(s => s.Requests is not null))
        {
            Console.WriteLine($"{s.Name}: {s.PushRun?.LastLine}; {sides[0].Requests!.Checks} check bodies (those of {sides[0].Name}: one per app with a need in development, its first 5 needs at most), " +
                $"{s.Requests!.Decisions} decision bodies ({s.Requests.Keys} needed scopes in development, {o.Batch} per request)");
        }

        Console.WriteLine("goals:");
        var baseline = sides[0];
        var scale = sides[1];
        var passed = Goal(scale.Pushed && scale.PushRun!.Seconds < ScaleOptions.PushGoalSeconds,
            string.Create(CultureInfo.InvariantCulture, $"push of {o.Grants} grants: {scale.PushRun?.Seconds:F1} s (under {ScaleOptions.PushGoalSeconds:F0} s; server CPU {scale.PushCpuSeconds:F1} s{(scale.Pushed ? "" : ", the push failed")})"));
        if (!scale.Pushed || !baseline.Pushed)
        {
            return false;
        }

        passed &= Goal(scale.After!.RssMiB <= ScaleOptions.RssGoalMiB,
            string.Create(CultureInfo.InvariantCulture, $"server RSS after checks and decisions over every app: {scale.After.RssMiB:F0} MiB (at most {ScaleOptions.RssGoalMiB:F0} MiB; peak {scale.After.PeakMiB:F0} MiB; {baseline.Name}: {baseline.After!.RssMiB:F0} MiB)"));
        var ratio = scale.Checks.Max(r => r.RequestsPerSecond) / baseline.Checks.Max(r => r.RequestsPerSecond);
        var cpuRatio = baseline.Checks.Min(r => r.CpuMicroseconds) / scale.Checks.Min(r => r.CpuMicroseconds);
        var same = scale.Agreement is { Disagreements: 0 };
        passed &= Goal(ratio >= ScaleOptions.ThroughputGoal && same,
            string.Create(CultureInfo.InvariantCulture, $"check throughput {ratio:P0} of the {baseline.Name} figure, the same {scale.Agreement?.Bodies} check bodies to both (at least {ScaleOptions.ThroughputGoal:P0}; by server CPU per request: {cpuRatio:P0}{(same ? "" : "; the two organisations answer them differently, so the ratio compares different work")})"));
        passed &= Goal(sides.All(s => s.Checks.Concat(s.Decisions).All(r => r.Errors == 0)), "no failed request in any run");
        return passed;
    }

    /// <summary>Writes every dirty page of the machine to disk (<c>sync</c>), so a timed phase does not pay for an earlier one's writeback.</summary>
    private static void Sync()
    {
        using var sync = System.Diagnostics.Process.Start("sync");
        sync.WaitForExit();
    }

    private static bool Goal(bool passed, string text)
    {
        Console.WriteLine($"  {(passed ? "PASS" : "FAIL")}  {text}");
        return passed;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>One organisation: its data, work folder, server and figures.</summary>
    private sealed class Side(string name, string data) : IDisposable
    {
        private ServerSettings? _settings;
        private string? _token;

        public string Name { get; } = name;

        public string Work { get; } = Directory.CreateTempSubdirectory("gatehouse-scale-").FullName;

        public ChildRun? PushRun { get; private set; }

        public ProcessMemory? PushMemory { get; private set; }

        /// <summary>The server's CPU time (user + system) during the push: the figure a busy machine disturbs least.</summary>
        public double PushCpuSeconds { get; private set; }

        public RotatingRequests? Requests { get; private set; }

        public ServerProcess? Server { get; private set; }

        public ProcessMemory? After { get; set; }

        public List<WrkRun> Checks { get; } = [];

        /// <summary>How this side answered the baseline's check bodies beside the baseline.</summary>
        public CheckAgreement? Agreement { get; set; }

        /// <summary>The answer to one check body: whether granted, and each need's state, in order ("granted: granted,granted").</summary>
        public string Answer(HttpClient http, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server!.Url, "api/v1/check"))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
            using var response = http.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream());
            var text = reader.ReadToEnd();
            if (!response.IsSuccessStatusCode)
            {
                return $"{(int)response.StatusCode}: {text}";
            }

            var answer = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            var states = answer["results"]!.AsArray().Select(r => r!["state"]!.GetValue<string>());
            return $"{(answer["granted"]!.GetValue<bool>() ? "granted" : "not granted")}: {string.Join(',', states)}";
        }

        public List<WrkRun> Decisions { get; } = [];

        public bool Pushed => PushRun is { ExitCode: 0 };

        /// <summary>A fresh server with every core, the organisation file by the bootstrap token, then every manifest by an admin.</summary>
        public void Push(ScaleOptions o, bool requests = true)
        {
            Sync();
            _settings = new ServerSettings("sqlite", Path.Combine(Work, "data"), null);
            using var server = ServerProcess.Start(o.Gatehouse, _settings, o.Pinning, pinned: false, Path.Combine(Work, "server.log"));
            var bootstrap = new Dictionary<string, string> { ["GATEHOUSE_URL"] = server.Url.ToString(), ["GATEHOUSE_TOKEN"] = _settings.BootstrapToken };
            _token = EngineBench.AdminToken(o.Gatehouse, data, bootstrap);
            var client = new Dictionary<string, string> { ["GATEHOUSE_URL"] = server.Url.ToString(), ["GATEHOUSE_TOKEN"] = _token };
            var cpu = ProcessCpu.Seconds(server.Id);
            // The CLI waits as long as the run is allowed to (its own default is 10 minutes).
            var limit = TimeSpan.FromMinutes(o.PushMinutes);
            PushRun = ChildRun.Run([o.Gatehouse, "push", data, "--timeout", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture)], limit, client, Path.Combine(Work, "push.txt"));
            PushCpuSeconds = ProcessCpu.Seconds(server.Id) - cpu;
            PushMemory = ProcessMemory.Read(server.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{Name}] push: {PushRun.Seconds:F1} s, server CPU {PushCpuSeconds:F1} s, {(Pushed ? PushRun.LastLine : PushRun.Describe("push").Trim())}; server after the push: {PushMemory}"));
            if (requests)
            {
                Requests = RotatingRequests.Write(data, Work, o.Batch);
            }
        }

        /// <summary>The pushed data served again by a server pinned to the server core, as server-bench serves it.</summary>
        public void Start(ScaleOptions o)
        {
            Server = ServerProcess.Start(o.Gatehouse, _settings!, o.Pinning, pinned: true, Path.Combine(Work, "server.log"));
            Console.WriteLine($"[{Name}] serving on {Server.Url} (pid {Server.Id}): {ProcessMemory.Read(Server.Id)} at start");
        }

        public WrkRun Run(string label, int seconds, bool checks, ScaleOptions o)
        {
            var (path, file) = checks ? ("api/v1/check", Requests!.CheckFile) : ("api/v1/decisions", Requests!.DecisionFile);
            var run = WrkRun.Run(label, new Uri(Server!.Url, path), o.WrkScript, file, _token, o.Connections, seconds, o.Pinning, Server.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{Name}] wrk {run.Label}: {run.RequestsPerSecond,7:F0} req/s  p50 {run.P50:F2} ms  p99 {run.P99:F2} ms  server CPU {run.CpuMicroseconds:F0} µs/request  errors {run.Errors}  ({ProcessMemory.Read(Server.Id)})"));
            return run;
        }

        public void Dispose() => Server?.Dispose();
    }
}
