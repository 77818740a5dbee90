using System.Globalization;
using Gatehouse.Bench.Serving;

namespace Gatehouse.Bench.Scale;

/// <summary>The knobs of <c>scale-bench</c>, with the defaults the goals of issue 15 are stated for.</summary>
internal sealed record ScaleOptions(
    string Root,
    string Gatehouse,
    int Apps,
    int Grants,
    int Seed,
    int Connections,
    int Seconds,
    int Warmup,
    int Rounds,
    int Batch,
    CpuPinning Pinning,
    bool Keep,
    int PushMinutes,
    bool PushOnly)
{
    public const double PushGoalSeconds = 120;
    public const double RssGoalMiB = 300;
    public const double ThroughputGoal = 0.90;

    /// <summary>The organisation of server-bench (shared with it), and the same apps topped up to <see cref="Grants"/>.</summary>
    public string BaselineData => Path.Combine(Root, "bench", "out", Apps.ToString(CultureInfo.InvariantCulture));

    public string ScaleData => Path.Combine(Root, "bench", "out", string.Create(CultureInfo.InvariantCulture, $"{Apps}-grants-{Grants}"));

    public string WrkScript => Path.Combine(Root, "bench", "wrk", "rotate.lua");

    public static ScaleOptions From(Arguments arguments, string root)
    {
        var gatehouse = Path.GetFullPath(arguments.Option("gatehouse") ?? Path.Combine(root, "bench", "out", "cli", "gatehouse"));
        if (!File.Exists(gatehouse))
        {
            throw new ArgumentException($"{gatehouse} does not exist: publish the CLI first (bash bench/run-scale.sh does)");
        }

        var batch = arguments.Int("batch", 10);
        if (batch > 1000)
        {
            throw new ArgumentException("--batch must be at most 1000 (the decision endpoint's limit)");
        }

        return new ScaleOptions(
            root,
            gatehouse,
            arguments.Int("apps", 10_000),
            arguments.Int("grants", 1_000_000),
            arguments.Int("seed", 1),
            arguments.Int("connections", 32),
            arguments.Int("duration", 8),
            arguments.Int("warmup", 3),
            arguments.Int("rounds", 2),
            batch,
            CpuPinning.Detect(arguments.Option("pin") != "no", arguments.Option("nice") != "no"),
            arguments.Option("keep") == "yes",
            arguments.Int("push-minutes", 10),
            arguments.Option("push-only") == "yes");
    }
}
