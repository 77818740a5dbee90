using System.Globalization;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// One closed-loop saturation run of wrk: <c>-t1 -c C -d D</c> with bench/wrk/request.lua, which
/// adds the body and token and prints one BENCH line. Latencies in milliseconds; the server's CPU
/// time per request (user + system, microseconds) is sampled around the run.
/// </summary>
internal sealed record WrkRun(string Label, double RequestsPerSecond, long Requests, long Errors, double P50, double P90, double P99, double Max, double CpuMicroseconds)
{
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
