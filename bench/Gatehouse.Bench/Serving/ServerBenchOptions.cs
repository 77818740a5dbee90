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
    bool Keep,
    int Replicas)
{
    public const double ThroughputGoal = 0.70;
    public const double LatencyGoalMs = 2.0;

    /// <summary>Issue 15's goals, as shares of the Kestrel hello app's throughput in the same run.</summary>
    public static readonly IReadOnlyDictionary<string, double> HelloGoals = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["sqlite GET /healthz"] = 0.95,
        ["sqlite GET /api/v1/me"] = 0.85,
        ["sqlite POST /api/v1/check"] = 0.70,
        ["sqlite POST decisions x10"] = 0.50,
        ["postgresql POST /api/v1/check"] = 0.50,
    };

    /// <summary>The Kestrel hello app, published by bench/run-server.sh.</summary>
    public string Hello => Path.Combine(Root, "bench", "out", "hello", "Hello.Kestrel");

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
            arguments.Option("keep") == "yes",
            arguments.Int("replicas", 2));
    }
}
