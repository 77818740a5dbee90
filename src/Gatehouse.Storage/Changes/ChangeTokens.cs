namespace Gatehouse.Storage.Changes;

/// <summary>
/// Collects the change version a unit of work (an API request) committed, so its answer can
/// return it as a consistency token (<c>Gatehouse-Version</c>, ADR 0033): a caller that passes it
/// back as <c>Gatehouse-Consistency: at-least=N</c> to any replica gets an answer that includes
/// the change.
/// </summary>
public static class ChangeTokens
{
    private static readonly AsyncLocal<Collector> Current = new();

    /// <summary>Starts collecting for the current asynchronous flow; read the result from the box.</summary>
    public static Collector Collect()
    {
        var box = new Collector();
        Current.Value = box;
        return box;
    }

    internal static void Committed(long version)
    {
        if (Current.Value is { } box && version > box.Version)
        {
            box.Version = version;
        }
    }

    /// <summary>The highest version committed in the flow (0: nothing committed).</summary>
    public sealed class Collector
    {
        public long Version { get; internal set; }
    }
}
