using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Gatehouse.Cli;

/// <summary>
/// Examples for a command's --help, attached where the command is built (subcommands such as
/// <c>token create</c> included); <see cref="GatehouseCommandLine"/> hands them to the help action.
/// </summary>
internal static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, string> Examples = [];

    public static T With<T>(this T command, string examples)
        where T : Command
    {
        Examples.AddOrUpdate(command, examples.Trim('\n'));
        return command;
    }

    public static bool TryGet(Command command, out string examples) => Examples.TryGetValue(command, out examples!);
}
