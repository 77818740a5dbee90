using System.CommandLine;

namespace Gatehouse.Cli.Output;

/// <summary>
/// <c>--format text|json</c> for commands that print a listing: one option name for output in
/// every command (ADR 0022). <c>--json</c>, the older spelling, still works but is not shown.
/// </summary>
internal sealed class TextOrJsonFormat
{
    public TextOrJsonFormat() => Format.AcceptOnlyFromAmong("text", "json");

    public Option<string> Format { get; } = new("--format") { Description = "Output: text or json", DefaultValueFactory = _ => "text" };

    public Option<bool> Json { get; } = new("--json") { Description = "Same as --format json", Hidden = true };

    public bool IsJson(ParseResult parse) => parse.GetValue(Json) || parse.GetValue(Format) == "json";
}
