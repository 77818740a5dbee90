using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gatehouse.AspNetCore.Bench;

/// <summary>
/// One request through a service's pipeline as Gatehouse.AspNetCore sets it up:
/// <c>UseAuthentication()</c> then <c>UseGatehouseRoutes("gatehouse.yaml")</c> (route lookup, the
/// scope check) and a terminal endpoint. <see cref="CachedToken"/> presents the same token every
/// time, as a caller reusing its token until it expires does: its signature was verified once.
/// <see cref="VerifiedEveryTime"/> turns the token cache off, so every call checks the ES256
/// signature: the first use of each token.
/// </summary>
[Config(typeof(PercentileConfig))]
[MemoryDiagnoser]
public class AuthorizeRequestBenchmark
{
    private ServicePipeline _cached = null!;
    private ServicePipeline _uncached = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cached = ServicePipeline.Create(cacheTokens: true);
        _uncached = ServicePipeline.Create(cacheTokens: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cached.Dispose();
        _uncached.Dispose();
    }

    [Benchmark(Baseline = true, Description = "token seen before (cached)")]
    public Task<int> CachedToken() => _cached.AuthorizeAsync();

    /// <summary>The harness alone: no token, a path left open; the pipeline's fixed cost.</summary>
    [Benchmark(Description = "no token, unprotected path")]
    public Task<int> Harness() => _cached.AuthorizeAsync("/healthz", withToken: false);

    [Benchmark(Description = "signature verified every time")]
    public Task<int> VerifiedEveryTime() => _uncached.AuthorizeAsync();

    /// <summary>Median, p95 and p99 of the measured iterations, beside the mean.</summary>
    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            // In process: no generated project to build (slow on a shared machine), same runtime and JIT.
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
            WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column());
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private sealed class P99Column : IColumn
    {
        public string Id => "P99";

        public string ColumnName => "P99";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => 10;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "Percentile 99";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } statistics
                ? (statistics.Percentiles.Percentile(99) / 1000.0).ToString("N3", style.CultureInfo) + " μs"
                : "NA";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
