using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Gatehouse.Cli;

/// <summary>
/// The standard help followed by an "Examples:" section. Examples live here rather than in the
/// description so the command list of <c>gatehouse --help</c> stays one line per command.
/// </summary>
internal sealed class ExamplesHelpAction(HelpAction standard, IReadOnlyDictionary<Command, string> examples) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        if (examples.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in text.Split('\n'))
            {
                output.WriteLine($"  {line.TrimEnd()}");
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
