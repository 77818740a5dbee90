using System.Text;

namespace Gatehouse.Cli.Output;

/// <summary>
/// Text from manifests (reasons, descriptions, names) made safe to put in a Markdown table cell
/// of a pull-request comment: it stays in its cell, renders as the words written, and notifies
/// nobody. A reason is written by whoever opens the pull request, so it is untrusted here.
/// </summary>
internal static class MarkdownText
{
    // U+200B ZERO WIDTH SPACE as an entity: invisible, but "@team" and "#12" no longer link or
    // notify (the form Dependabot and Renovate use in their comments).
    private const string Breaker = "&#8203;";

    /// <summary>One table cell: line breaks become &lt;br&gt;, pipes and Markdown/HTML syntax are escaped, mentions and issue links neutralised.</summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var cell = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break; // the \n that follows makes the break
                case '\r' or '\n' or '\u2028' or '\u2029':
                    cell.Append("<br>");
                    break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']':
                    cell.Append('\\').Append(c);
                    break;
                case '<':
                    cell.Append("&lt;");
                    break;
                case '>':
                    cell.Append("&gt;");
                    break;
                case '&':
                    cell.Append("&amp;");
                    break;
                case '@' or '#' when i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]):
                    cell.Append(c).Append(Breaker);
                    break;
                default:
                    cell.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return cell.ToString();
    }

    /// <summary>
    /// A name shown as code in a cell. Inside a code span nothing is a mention or markup, and
    /// escapes are not read, so only what would end the span, the row or the cell is replaced.
    /// </summary>
    public static string Code(string? text) => string.IsNullOrEmpty(text)
        ? string.Empty
        : "`" + text.ReplaceLineEndings(" ").Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal) + "`";
}
