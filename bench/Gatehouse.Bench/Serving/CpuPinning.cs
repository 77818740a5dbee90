namespace Gatehouse.Bench.Serving;

/// <summary>
/// Where and how eagerly the server and the load generators run. With two or more cores and
/// <c>taskset</c>, the server gets core 0 and every load generator the last core, so the two never
/// compete with each other. Other processes on a shared machine still can: as root, the server
/// and the generators also run at <c>nice -10</c>, which gives them most of their core (about nine
/// times the share of a default process) without locking anyone out, as real-time priority would.
/// </summary>
internal sealed class CpuPinning
{
    private const string Nice = "-10";

    private CpuPinning(string? server, string? load, bool raised)
    {
        ServerCores = server;
        LoadCores = load;
        Raised = raised;
    }

    public string? ServerCores { get; }

    public string? LoadCores { get; }

    public bool Raised { get; }

    public static CpuPinning Detect(bool pin, bool raise)
    {
        var pinning = pin && Exists("taskset") && Environment.ProcessorCount >= 2;
        var last = (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CpuPinning(pinning ? "0" : null, pinning ? last : null, raise && Environment.UserName == "root" && Exists("nice"));
    }

    /// <summary>A server command: raised, and pinned to the server's core when <paramref name="pinned"/>.</summary>
    public IReadOnlyList<string> Server(IReadOnlyList<string> command, bool pinned) => On(pinned ? ServerCores : null, command);

    /// <summary>A load generator command: raised, on the load core.</summary>
    public IReadOnlyList<string> Load(IReadOnlyList<string> command) => On(LoadCores, command);

    private List<string> On(string? cores, IReadOnlyList<string> command)
    {
        List<string> wrapped = Raised ? ["nice", "-n", Nice] : [];
        if (cores is not null)
        {
            wrapped.AddRange(["taskset", "-c", cores]);
        }

        return [.. wrapped, .. command];
    }

    public string Describe() =>
        (ServerCores is not null
            ? $"server pinned to core {ServerCores}, load generators to core {LoadCores} (taskset)"
            : "not pinned (needs taskset and 2 cores)")
        + (Raised ? $", both at nice {Nice}" : ", default priority");

    private static bool Exists(string tool) => File.Exists($"/usr/bin/{tool}") || File.Exists($"/bin/{tool}");
}
