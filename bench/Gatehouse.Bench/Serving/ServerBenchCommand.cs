using System.Globalization;
using Gatehouse.Bench.Generation;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// <c>server-bench</c>: push time of a generated organisation, then check against a trivial
/// endpoint of the same server (saturating throughput and latency at a fixed rate), on SQLite and,
/// when GATEHOUSE_TEST_POSTGRES is set, on a fresh PostgreSQL database. See docs/benchmarks.md.
/// </summary>
internal static class ServerBenchCommand
{
    public static int Run(Arguments arguments)
    {
        var o = ServerBenchOptions.From(arguments, RepositoryRoot.Find());
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"server: {o.Gatehouse} serve; {o.Pinning.Describe()}");
        Console.WriteLine($"data: {Path.GetRelativePath(o.Root, o.Data)} ({o.Apps} apps, seed {o.Seed}, generated once)");
        GenerateCommand.EnsureGenerated(o.Data, o.Apps, o.Seed);

        var results = new List<EngineResult> { EngineBench.Run("sqlite", null, o) };
        using (var postgres = PostgresScratch.FromEnvironment())
        {
            if (postgres is null)
            {
                Console.WriteLine($"[postgresql] skipped: set {PostgresScratch.Variable} (eval \"$(bash .ci/postgres.sh)\") to include it");
            }
            else
            {
                Console.WriteLine($"[postgresql] database on {postgres.Describe}");
                results.Add(EngineBench.Run("postgresql", postgres.ConnectionString, o));
            }
        }

        var passed = ServerBenchReport.Print(results, o);
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Console.WriteLine(passed ? "RESULT: PASS" : "RESULT: FAIL");
        return passed ? 0 : 1;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
