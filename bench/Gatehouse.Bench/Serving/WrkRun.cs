using System.Globalization;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// One closed-loop saturation run of wrk: <c>-t1 -c C -d D</c> with bench/wrk/request.lua, which
/// adds the body and token and prints one BENCH line. Latencies in milliseconds; the server's CPU
/// time per request (user + system, microseconds) is sampled around the run.
/// </summary>
internal sealed record WrkRun(string Label, double RequestsPerSecond, long Requests, long Errors, double P50, double P90, double P99, double Max, double CpuMicroseconds)
{
    /// <summary>
    /// One run against several replicas at once: a wrk per replica with its share of the
    /// connections, requests summed, CPU summed over the replicas, latencies of the slowest.
    /// </summary>
    public static WrkRun RunSpread(string label, IReadOnlyList<(Uri Url, int Pid)> replicas, string script, string? bodyFile, string? token, int connections, int seconds, CpuPinning pinning)
    {
        if (replicas.Count == 1)
        {
            return Run(label, replicas[0].Url, script, bodyFile, token, connections, seconds, pinning, replicas[0].Pid);
        }

        var cpuBefore = replicas.Sum(r => ProcessCpu.Seconds(r.Pid));
        var runs = replicas.Select(r => Task.Run(() => Run(label, r.Url, script, bodyFile, token, Math.Max(1, connections / replicas.Count), seconds, pinning, r.Pid))).ToArray();
        Task.WaitAll(runs);
        var cpu = replicas.Sum(r => ProcessCpu.Seconds(r.Pid)) - cpuBefore;
        var all = runs.Select(r => r.Result).ToList();
        var requests = all.Sum(r => r.Requests);
        return new WrkRun(label, all.Sum(r => r.RequestsPerSecond), requests, all.Sum(r => r.Errors),
            all.Max(r => r.P50), all.Max(r => r.P90), all.Max(r => r.P99), all.Max(r => r.Max), cpu * 1e6 / Math.Max(1, requests));
    }

    public static WrkRun Run(string label, Uri url, string script, string? bodyFile, string? token, int connections, int seconds, CpuPinning pinning, int serverPid)
    {
        var command = pinning.Load(["wrk", "-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "5s", "-s", script, url.ToString()]);
        var environment = new Dictionary<string, string> { ["BENCH_BODY_FILE"] = bodyFile ?? "", ["BENCH_TOKEN"] = token ?? "" };
        var cpuBefore = ProcessCpu.Seconds(serverPid);
        var run = ChildRun.Run(command, TimeSpan.FromSeconds(seconds + 30), environment);
        var cpu = ProcessCpu.Seconds(serverPid) - cpuBefore;
        var line = run.Output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal));
        if (run.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException(run.Describe("wrk"));
        }

        var f = line[6..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        var errors = f["connect"] + f["read"] + f["write"] + f["status"] + f["timeout"];
        return new WrkRun(label, f["requests"] / (f["duration_us"] / 1e6), f["requests"], errors,
            f["p50_us"] / 1000.0, f["p90_us"] / 1000.0, f["p99_us"] / 1000.0, f["max_us"] / 1000.0, cpu * 1e6 / Math.Max(1, f["requests"]));
    }
}
