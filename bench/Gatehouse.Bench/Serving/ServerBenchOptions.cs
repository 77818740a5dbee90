namespace Gatehouse.Bench.Serving;

/// <summary>The knobs of <c>server-bench</c>, with the defaults the goals are stated for.</summary>
internal sealed record ServerBenchOptions(
    string Root,
    string Gatehouse,
    int Apps,
    int Seed,
    string Environment,
    int Connections,
    int Seconds,
    int Warmup,
    int Rounds,
    int Rate,
    CpuPinning Pinning,
    bool Keep)
{
    public const double ThroughputGoal = 0.70;
    public const double LatencyGoalMs = 2.0;

    public string Data => Path.Combine(Root, "bench", "out", Apps.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string WrkScript => Path.Combine(Root, "bench", "wrk", "request.lua");

    public static ServerBenchOptions From(Arguments arguments, string root)
    {
        var gatehouse = Path.GetFullPath(arguments.Option("gatehouse") ?? Path.Combine(root, "bench", "out", "cli", "gatehouse"));
        if (!File.Exists(gatehouse))
        {
            throw new ArgumentException($"{gatehouse} does not exist: publish the CLI first (bash bench/run-server.sh does)");
        }

        return new ServerBenchOptions(
            root,
            gatehouse,
            arguments.Int("apps", 10_000),
            arguments.Int("seed", 1),
            arguments.Option("env") ?? "development",
            arguments.Int("connections", 32),
            arguments.Int("duration", 10),
            arguments.Int("warmup", 3),
            arguments.Int("rounds", 2),
            arguments.Int("rate", 1000),
            CpuPinning.Detect(arguments.Option("pin") != "no", arguments.Option("nice") != "no"),
            arguments.Option("keep") == "yes");
    }
}
