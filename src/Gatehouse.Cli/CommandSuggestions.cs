using System.CommandLine;
using System.CommandLine.Parsing;
using Gatehouse.Core.Validation;

namespace Gatehouse.Cli;

/// <summary>"Did you mean" for a mistyped command: <c>gatehouse aprove 42</c> suggests <c>approve</c>.</summary>
internal static class CommandSuggestions
{
    /// <summary>The hint for the first word the parser could not match to a command, or null when it was not meant as one.</summary>
    public static string? For(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parse.UnmatchedTokens.Count == 0)
        {
            return null;
        }

        // Only a word where a command is expected: the first unmatched token, right after the command's own.
        var typed = parse.UnmatchedTokens[0];
        if (typed.StartsWith('-'))
        {
            return null;
        }

        var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)).Distinct().ToList();
        var nearest = Nearest(typed, names);
        var where = GatehouseCommandLine.CommandPath(parse.CommandResult);
        return nearest.Count switch
        {
            0 => $"'{typed}' is not a command of {where}",
            1 => $"'{typed}' is not a command of {where}; did you mean '{nearest[0]}'?",
            _ => $"'{typed}' is not a command of {where}; did you mean one of: {string.Join(", ", nearest.Select(n => $"'{n}'"))}?",
        };
    }

    /// <summary>Every name as close as the closest acceptable one (ties are all shown), best first.</summary>
    internal static IReadOnlyList<string> Nearest(string typed, IReadOnlyList<string> names)
    {
        if (Suggestions.Closest(typed, names) is not { } best)
        {
            return [];
        }

        var distance = Suggestions.Distance(typed, best);
        return [best, .. names.Where(n => n != best && Suggestions.Distance(typed, n) == distance && Suggestions.Closest(typed, [n]) is not null)];
    }
}
