using System.Diagnostics;
using System.Globalization;

namespace Gatehouse.AspNetCore.Bench;

/// <summary>
/// <c>--latency</c>: each call timed on its own, so the percentiles are of single requests
/// (BenchmarkDotNet's are of iteration means, each iteration many calls).
/// </summary>
internal static class LatencyRun
{
    public static async Task RunAsync(int calls)
    {
        Console.WriteLine($"per-call latency over {calls:N0} calls after {calls / 10:N0} warm-up calls, one thread; load average {File.ReadAllText("/proc/loadavg")[..14]} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {"case",-32} {"p50",9} {"p90",9} {"p99",9} {"p99.9",9} {"B/call",8}");
        // The first case is the harness alone: no token, an unprotected path: the fixed cost of the pipeline.
        foreach (var (name, cached, path) in new[]
        {
            ("no token, unprotected path", true, "/healthz"),
            ("token seen before (cached)", true, "/profiles/42"),
            ("signature verified every time", false, "/profiles/42"),
        })
        {
            using var pipeline = ServicePipeline.Create(cached);
            var n = cached ? calls : calls / 20;
            for (var i = 0; i < n / 10; i++)
            {
                await pipeline.AuthorizeAsync(path, withToken: path != "/healthz");
            }

            var ticks = new long[n];
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < n; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await pipeline.AuthorizeAsync(path, withToken: path != "/healthz");
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            Array.Sort(ticks);
            string At(double p) => (ticks[Math.Min(n - 1, (int)(p * n))] * 1_000_000.0 / Stopwatch.Frequency).ToString("0.00", CultureInfo.InvariantCulture) + " µs";
            Console.WriteLine($"  {name,-32} {At(0.50),9} {At(0.90),9} {At(0.99),9} {At(0.999),9} {bytes / (double)n,8:0}");
        }
    }
}
