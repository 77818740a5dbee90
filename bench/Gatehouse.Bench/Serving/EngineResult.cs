using Gatehouse.Bench.Load;

namespace Gatehouse.Bench.Serving;

/// <summary>Everything measured on one storage engine.</summary>
internal sealed record EngineResult(
    string Engine,
    ChildRun Push,
    ChildRun RePush,
    string CheckDescription,
    IReadOnlyList<WrkRun> Trivial,
    IReadOnlyList<WrkRun> Authenticated,
    IReadOnlyList<WrkRun> Check,
    LatencySummary OpenTrivial,
    LatencySummary OpenCheck,
    ServerTiming CheckServerTiming)
{
    public bool PushSucceeded => Push.ExitCode == 0;

    /// <summary>A re-push of the same files must change nothing.</summary>
    public bool RePushWasNoOp => RePush.ExitCode == 0 && RePush.LastLine.StartsWith("No changes", StringComparison.Ordinal);

    /// <summary>Best round of each endpoint: on a shared machine the best is the least disturbed.</summary>
    public WrkRun BestTrivial => Trivial.MaxBy(r => r.RequestsPerSecond)!;

    public WrkRun BestAuthenticated => Authenticated.MaxBy(r => r.RequestsPerSecond)!;

    public WrkRun BestCheck => Check.MaxBy(r => r.RequestsPerSecond)!;

    /// <summary>Check against the anonymous trivial endpoint: what the framework alone costs.</summary>
    public double ThroughputRatio => BestCheck.RequestsPerSecond / BestTrivial.RequestsPerSecond;

    /// <summary>Check against the API's trivial endpoint with the same token: the goal's measure (docs/benchmarks.md).</summary>
    public double AuthenticatedRatio => BestCheck.RequestsPerSecond / BestAuthenticated.RequestsPerSecond;

    /// <summary>The throughput ratio a saturated, undisturbed core would give: /healthz CPU per request over check's (median rounds).</summary>
    public double CpuRatio => Median(Trivial.Select(r => r.CpuMicroseconds)) / Median(Check.Select(r => r.CpuMicroseconds));

    public bool HadErrors => Trivial.Concat(Authenticated).Concat(Check).Any(r => r.Errors > 0) || OpenTrivial.Failed > 0 || OpenCheck.Failed > 0;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
