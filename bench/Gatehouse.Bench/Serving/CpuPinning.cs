namespace Gatehouse.Bench.Serving;

/// <summary>
/// Which cores the server and the load generators run on. With two or more cores and
/// <c>taskset</c>, the server gets core 0 and every load generator core 1, so the two never
/// compete for a core with each other (other processes on the machine still can).
/// </summary>
internal sealed class CpuPinning
{
    private CpuPinning(string? server, string? load)
    {
        ServerCores = server;
        LoadCores = load;
    }

    public string? ServerCores { get; }

    public string? LoadCores { get; }

    public bool Enabled => ServerCores is not null;

    public static CpuPinning Detect(bool wanted)
    {
        var taskset = new[] { "/usr/bin/taskset", "/bin/taskset" }.Any(File.Exists);
        return wanted && taskset && Environment.ProcessorCount >= 2
            ? new CpuPinning("0", (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : new CpuPinning(null, null);
    }

    /// <summary><paramref name="command"/> prefixed with <c>taskset -c CORES</c> when pinning.</summary>
    public static IReadOnlyList<string> On(string? cores, IReadOnlyList<string> command) =>
        cores is null ? command : ["taskset", "-c", cores, .. command];

    public string Describe() => Enabled
        ? $"server pinned to core {ServerCores}, load generators to core {LoadCores} (taskset); other processes on the machine are not kept off them"
        : "not pinned (needs taskset and at least 2 cores): server and load generators share the cores";
}
