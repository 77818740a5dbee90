using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Gatehouse.Cli;

/// <summary>
/// Numbers and times on the command line fail with a message that names the argument or option
/// and says what it takes (`ID must be a whole number, e.g. 42, not 'abc'`), instead of the
/// parser's default, which names a .NET type. Installed on the whole tree, so a new command
/// gets it without asking; a symbol with a parser of its own keeps it.
/// </summary>
internal static class TypedValueParsers
{
    public static void Apply(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            Install(argument, argument.Name);
        }

        foreach (var option in command.Options)
        {
            Install(option, option.Name);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    private static void Install(Symbol symbol, string name)
    {
        switch (symbol)
        {
            case Argument<long> { CustomParser: null } a: a.CustomParser = r => Number<long>(r, name); break;
            case Argument<int> { CustomParser: null } a: a.CustomParser = r => Number<int>(r, name); break;
            case Option<long> { CustomParser: null } o: o.CustomParser = r => Number<long>(r, name); break;
            case Option<int> { CustomParser: null } o: o.CustomParser = r => Number<int>(r, name); break;
            case Option<long?> { CustomParser: null } o: o.CustomParser = r => Number<long>(r, name); break;
            case Option<int?> { CustomParser: null } o: o.CustomParser = r => Number<int>(r, name); break;
            case Option<DateTimeOffset?> { CustomParser: null } o: o.CustomParser = r => Time(r, name); break;
            case Option<DateTimeOffset> { CustomParser: null } o: o.CustomParser = r => Time(r, name) ?? default; break;
            default: break;
        }
    }

    private static T Number<T>(ArgumentResult result, string name)
        where T : struct, IBinaryInteger<T>
    {
        var text = Token(result);
        if (T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name} must be a whole number, e.g. 42, not '{text}'");
        return default;
    }

    private static DateTimeOffset? Time(ArgumentResult result, string name)
    {
        var text = Token(result);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        result.AddError($"{name} must be a date or time in ISO 8601, e.g. 2025-03-01 or 2025-03-01T09:00:00Z, not '{text}'");
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
