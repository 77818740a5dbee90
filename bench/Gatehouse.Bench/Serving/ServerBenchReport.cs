using Gatehouse.Bench.Load;

namespace Gatehouse.Bench.Serving;

/// <summary>The side-by-side tables of <c>server-bench</c> and its goals; returns whether every goal passed.</summary>
internal static class ServerBenchReport
{
    public static bool Print(IReadOnlyList<EngineResult> results, ServerBenchOptions o)
    {
        Console.WriteLine();
        Console.WriteLine($"push: `gatehouse push` of {o.Apps} generated apps and the organisation file, fresh server with every core");
        Console.WriteLine($"{"engine",-11} {"first push",10}  {"result",-28} {"re-push",8}  result");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Engine,-11} {r.Push.Seconds,8:F1} s  {Cut(r.Push.LastLine, 28),-28} {r.RePush.Seconds,6:F1} s  {Cut(r.RePush.LastLine, 40)}");
        }

        Console.WriteLine();
        Console.WriteLine($"throughput: wrk -t1 -c{o.Connections} -d{o.Seconds}s (closed loop, saturating), best of {o.Rounds} rounds alternating; {o.Pinning.Describe()}; the Kestrel hello app (bench/Hello.Kestrel) started the same way");
        Console.WriteLine($"{"engine",-11} {"endpoint",-22} {"req/s",8} {"÷ hello",8} {"by CPU",7} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"errors",7} {"CPU µs/req",11}");
        foreach (var r in results)
        {
            foreach (var (endpoint, runs) in r.Endpoints)
            {
                var run = EngineResult.Best(runs);
                Console.WriteLine($"{r.Engine,-11} {endpoint,-22} {run.RequestsPerSecond,8:F0} {r.HelloRatio(runs),8:F2} {r.HelloCpuRatio(runs),7:F2} {run.P50,7:F2} {run.P99,7:F2} {run.Max,7:F2} {run.Errors,7} {run.CpuMicroseconds,11:F1}");
            }

            Console.WriteLine($"{r.Engine,-11} {"check / me",-22} {r.AuthenticatedRatio,8:P0}   (issue 3: at least {ServerBenchOptions.ThroughputGoal:P0}, the same token and no other work)");
            Console.WriteLine($"{r.Engine,-11} {"memory",-22} {string.Join("; ", r.Memory)} after the runs{(r.Replicas > 1 ? $" ({r.Replicas} replicas serving, load spread over them)" : string.Empty)}");
        }

        Console.WriteLine();
        Console.WriteLine($"latency at a fixed rate: {o.Rate} req/s for {o.Seconds} s after {o.Warmup} s of warm-up, open loop, measured from each request's scheduled send time");
        Console.WriteLine($"{"engine",-11} {"endpoint",-20} {"achieved",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"max ms",8} {"failed",7} {"send lag p99",13}");
        foreach (var r in results)
        {
            Row(r.Engine, "GET /healthz", r.OpenTrivial);
            Row(r.Engine, "POST /api/v1/check", r.OpenCheck);
        }

        foreach (var r in results)
        {
            Console.WriteLine($"{r.Engine,-11} check, {r.CheckServerTiming} (from /metrics: arrival in the application to the answer written; leaves out network, kernel queues and generator)");
        }

        foreach (var r in results)
        {
            if (r.OpenTrivial.P99 >= ServerBenchOptions.LatencyGoalMs || r.OpenCheck.SendLagP99 >= 1)
            {
                Console.WriteLine($"note ({r.Engine}): GET /healthz p99 {r.OpenTrivial.P99:F2} ms, generator send lag p99 {Math.Max(r.OpenTrivial.SendLagP99, r.OpenCheck.SendLagP99):F2} ms: " +
                    "when the trivial endpoint misses the latency goal or the generator runs late, the machine is the floor and the check's p99 says little");
            }
        }

        Console.WriteLine();
        Console.WriteLine("check request: " + string.Join("; ", results.Select(r => $"{r.Engine}: {r.CheckDescription}")));
        Console.WriteLine("goals:");
        var passed = true;
        foreach (var r in results)
        {
            foreach (var (endpoint, runs) in r.Endpoints.Skip(1))
            {
                if (ServerBenchOptions.HelloGoals.TryGetValue($"{r.Engine} {endpoint}", out var goal))
                {
                    passed &= Goal(r.HelloRatio(runs) >= goal,
                        $"{r.Engine}: {endpoint} at {r.HelloRatio(runs):F2}x the Kestrel hello app (at least {goal:F2}x; {r.HelloCpuRatio(runs):F2}x by server CPU per request){(r.Replicas > 1 ? $", {r.Replicas} replicas" : string.Empty)}");
                }
            }

            passed &= Goal(r.AuthenticatedRatio >= ServerBenchOptions.ThroughputGoal,
                $"{r.Engine}: check throughput {r.AuthenticatedRatio:P0} of GET /api/v1/me with the same token (at least {ServerBenchOptions.ThroughputGoal:P0})");
            passed &= Goal(r.OpenCheck.P99 < ServerBenchOptions.LatencyGoalMs, $"{r.Engine}: check p99 {r.OpenCheck.P99:F2} ms at {o.Rate} req/s (under {ServerBenchOptions.LatencyGoalMs} ms)");
            passed &= Goal(r.RePushWasNoOp, $"{r.Engine}: re-pushing the same files changes nothing");
            passed &= Goal(!r.HadErrors, $"{r.Engine}: no failed request in any run");
        }

        return passed;
    }

    private static void Row(string engine, string endpoint, LatencySummary s) =>
        Console.WriteLine($"{engine,-11} {endpoint,-20} {s.AchievedRate,7:F0}/s {s.P50,8:F2} {s.P90,8:F2} {s.P99,8:F2} {s.P999,9:F2} {s.Max,8:F2} {s.Failed,7} {s.SendLagP99,10:F2} ms");

    private static bool Goal(bool passed, string text)
    {
        Console.WriteLine($"  {(passed ? "PASS" : "FAIL")}  {text}");
        return passed;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";
}
