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

            Fail(DiagnosticCodes.YamlSyntax, LastLine(), 1, "invalid YAML: the file ends in the middle of a value");
            return false;
        }
        catch (YamlException ex)
        {
            Fail(DiagnosticCodes.YamlSyntax, ex.Start.Line, ex.Start.Column, $"invalid YAML: {Sentence(ex.Message)}");
            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            // A parser defect on odd input must still end as a finding, not a crash.
            Fail(DiagnosticCodes.YamlSyntax, LastLine(), 1, $"invalid YAML: the parser could not read past this point ({ex.Message})");
            return false;
        }
    }

    private long LastLine() => parser.Current?.End.Line ?? 1;

    private YamlNode? Fail(string code, long line, long column, string message)
    {
        fatal ??= Diagnostic.Error(code, new SourceLocation(file, ToInt(line), ToInt(column)), message);
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
