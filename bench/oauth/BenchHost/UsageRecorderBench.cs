using System.Diagnostics;
using Gatehouse.Core.Access;
using Gatehouse.Server.Usage;
using Gatehouse.Storage;

/// <summary>
/// `BenchHost recorder`: the cost of one usage-recorder call (ADR 0024) measured alone, in
/// nanoseconds and bytes allocated, so it can be set against a request's cost even when the
/// machine is too busy for a steady side-by-side throughput run (bench/run-usage.sh).
/// </summary>
internal static class UsageRecorderBench
{
    public static void Run(int calls = 5_000_000)
    {
        using var recorder = new UsageRecorder(new UsageOptions(), TimeProvider.System);
        IReadOnlyList<AccessCheck> checks = [new AccessCheck(new AccessKey("billing", "customers", "profile.read", "development"), AccessState.Granted, 1, [])];
        IReadOnlyList<string> scopes = ["customers:profile.read"];
        Measure("decision/check: Allowed(1 granted)", calls, () => recorder.Allowed(checks));
        Measure("token endpoint: TokenIssued(1 scope)", calls, () => recorder.TokenIssued("cl_bench", "billing", "development", scopes, "customers:profile.read"));
        Measure("bearer token: TokenAuthenticated", calls, () => recorder.TokenAuthenticated("tok_bench"));

        // Two threads on the same grant: the contended case (one cell, compare-and-swap races).
        var perThread = calls / 2;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, 2, _ =>
        {
            for (var i = 0; i < perThread; i++)
            {
                recorder.Allowed(checks);
            }
        });
        Console.WriteLine($"  {"2 threads, same grant: Allowed",-42} {watch.Elapsed.TotalNanoseconds / (perThread * 2.0),8:0.0} ns/call (wall, per call)");
    }

    private static void Measure(string name, int calls, Action call)
    {
        for (var i = 0; i < 100_000; i++)
        {
            call(); // warm-up: JIT tiers, the cell exists
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"  {name,-42} {watch.Elapsed.TotalNanoseconds / calls,8:0.0} ns/call {bytes / (double)calls,6:0.00} B/call");
    }
}
