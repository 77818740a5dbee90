namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse validate [PATH...] [--format FORMAT]</c>, the command line every CI job runs,
/// recognised without System.CommandLine (ADR 0039): building the parser, parsing and invoking
/// cost a cold one-manifest run more than reading the manifest. It runs the same
/// <see cref="ValidateCommand.Run"/> as the parsed command, so output and exit codes are the same;
/// anything the parser could read differently (an option other than one <c>--format</c> with an
/// allowed value, <c>--</c>, help, a response file, a directive) is left to the parser.
/// </summary>
internal static class ValidateFastPath
{
    private static readonly string[] Formats = ["text", "json", "github", "sarif"];

    /// <summary>The paths and format of a plain <c>validate</c> command line, or false to leave it to the parser.</summary>
    public static bool TryParse(string[] args, out string[] paths, out string format)
    {
        paths = [];
        format = "text";
        if (args.Length == 0 || args[0] != "validate")
        {
            return false;
        }

        var found = new List<string>(args.Length - 1);
        var formatSeen = false;
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--format" && !formatSeen && i + 1 < args.Length && Array.IndexOf(Formats, args[i + 1]) >= 0)
            {
                formatSeen = true;
                format = args[++i];
            }
            else if (IsPlainPath(arg))
            {
                found.Add(arg);
            }
            else
            {
                return false;
            }
        }

        paths = [.. found];
        return true;
    }

    // Options and their aliases start with '-' (help also answers to /h and /?), response files with
    // '@', directives with '['; the parser gives all of those a meaning of their own.
    private static bool IsPlainPath(string arg) =>
        arg.Length > 0 && arg[0] is not ('-' or '@' or '[') && arg is not ("/h" or "/?");
}
