using Gatehouse.Core.Diagnostics;
using YamlDotNet.Core;

namespace Gatehouse.Core.Yaml;

internal sealed partial class YamlReader
{
    private bool Next()
    {
        try
        {
            if (parser.MoveNext())
            {
                return true;
            }

            var end = scanner.CurrentPosition;
            Fail(DiagnosticCodes.YamlSyntax, end.Line, end.Column, "invalid YAML: the file ends in the middle of a value", end.Line);
            return false;
        }
        catch (YamlException ex)
        {
            var message = Sentence(ex.Message);

            // "found invalid tab as indentation" is placed at the start of the enclosing mapping
            // (often 1:1); the tab itself is where the scanner stopped, so the tab search must reach it.
            var lastLine = message.Contains("tab", StringComparison.Ordinal) ? Math.Max(ex.End.Line, scanner.CurrentPosition.Line) : ex.End.Line;
            Fail(DiagnosticCodes.YamlSyntax, ex.Start.Line, ex.Start.Column, $"invalid YAML: {message}{YamlSyntaxHints.For(message)}", lastLine);
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet throws plain exceptions on some malformed input (aaubry/YamlDotNet#541, e.g. an
            // unclosed '[' followed by a line at column 1); it is still a finding, not a crash.
            var at = scanner.CurrentPosition;
            Fail(DiagnosticCodes.YamlSyntax, at.Line, at.Column,
                "invalid YAML: cannot read past this point; look for an unclosed bracket or quote above it", at.Line);
            return false;
        }
    }

    private YamlNode? Fail(string code, long line, long column, string message, long lastLine = 0)
    {
        if (fatal is null)
        {
            fatal = Diagnostic.Error(code, new SourceLocation(file, ToInt(line), ToInt(column)), message);
            fatalLastLine = Math.Max(line, lastLine);
        }

        return null;
    }

    private static int ToInt(long position) => (int)Math.Clamp(position, 1, int.MaxValue);

    // YamlDotNet messages start with a capital and end with a period; ours continue a sentence.
    private static string Sentence(string message)
    {
        var trimmed = message.Trim().TrimEnd('.');
        return trimmed.Length > 0 ? char.ToLowerInvariant(trimmed[0]) + trimmed[1..] : "unreadable input";
    }
}
