using Gatehouse.Bench.Load;

namespace Gatehouse.Bench.Serving;

/// <summary>Everything measured on one storage engine.</summary>
internal sealed record EngineResult(
    string Engine,
    int Replicas,
    ChildRun Push,
    ChildRun RePush,
    string CheckDescription,
    IReadOnlyList<WrkRun> Hello,
    IReadOnlyList<WrkRun> Trivial,
    IReadOnlyList<WrkRun> Authenticated,
    IReadOnlyList<WrkRun> Check,
    IReadOnlyList<WrkRun> Decisions,
    LatencySummary OpenTrivial,
    LatencySummary OpenCheck,
    ServerTiming CheckServerTiming,
    IReadOnlyList<ServerMemory> Memory)
{
    public bool PushSucceeded => Push.ExitCode == 0;

    /// <summary>A re-push of the same files must change nothing.</summary>
    public bool RePushWasNoOp => RePush.ExitCode == 0 && RePush.LastLine.StartsWith("No changes", StringComparison.Ordinal);

    /// <summary>Every endpoint with its rounds, the Kestrel hello app first.</summary>
    public IEnumerable<(string Endpoint, IReadOnlyList<WrkRun> Runs)> Endpoints =>
    [
        ("Kestrel hello", Hello),
        ("GET /healthz", Trivial),
        ("GET /api/v1/me", Authenticated),
        ("POST /api/v1/check", Check),
        ($"POST decisions x{CheckRequest.DecisionBatch}", Decisions),
    ];

    /// <summary>Best round of each endpoint: on a shared machine the best is the least disturbed.</summary>
    public static WrkRun Best(IReadOnlyList<WrkRun> runs) => runs.MaxBy(r => r.RequestsPerSecond)!;

    /// <summary>An endpoint's best throughput over the hello app's best: issue 15's measure.</summary>
    public double HelloRatio(IReadOnlyList<WrkRun> runs) => Best(runs).RequestsPerSecond / Best(Hello).RequestsPerSecond;

    /// <summary>The same ratio by server CPU per request (medians): what an undisturbed, saturated core would give.</summary>
    public double HelloCpuRatio(IReadOnlyList<WrkRun> runs) => Median(Hello.Select(r => r.CpuMicroseconds)) / Median(runs.Select(r => r.CpuMicroseconds));

    /// <summary>Check against the API's trivial endpoint with the same token (issue 3's measure).</summary>
    public double AuthenticatedRatio => Best(Check).RequestsPerSecond / Best(Authenticated).RequestsPerSecond;

    public bool HadErrors => Endpoints.SelectMany(e => e.Runs).Any(r => r.Errors > 0) || OpenTrivial.Failed > 0 || OpenCheck.Failed > 0;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
