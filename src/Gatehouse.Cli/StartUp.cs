namespace Gatehouse.Cli;

/// <summary>Process-wide settings chosen from the command line before anything else runs (ADR 0035).</summary>
internal static class StartUp
{
    // Commands that only read manifests and write output: no server, storage, HTTP or templating library.
    private static readonly HashSet<string> OfflineCommands = new(StringComparer.Ordinal) { "validate", "graph", "init", "export" };

    /// <summary>
    /// For an offline command, turns off code generation at run time (the feature switch that
    /// trimmed and native builds set). YamlDotNet compiles a regular expression to IL when its
    /// parser first runs, which costs a cold <c>validate</c> of one manifest ~15 ms of CPU; without
    /// dynamic code the same expression is interpreted, with the same matches. Libraries that would
    /// generate code (System.Text.Json, expression trees) fall back to reflection or interpretation.
    /// <c>serve</c> and the commands that talk to a server keep it: generated code is faster there.
    /// Must run before anything reads <see cref="System.Runtime.CompilerServices.RuntimeFeature"/>.
    /// </summary>
    public static void Configure(string[] args)
    {
        if (args.Length > 0 && OfflineCommands.Contains(args[0]))
        {
            AppContext.SetSwitch("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported", false);
        }
    }
}
