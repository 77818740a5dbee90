using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Reports;

internal enum ReportFormat
{
    Json,
    Csv,
    Markdown,
}

/// <summary>
/// Writes a report as CSV (RFC 4180: CRLF, quoted when a cell holds a comma, a quote or a line
/// break; a cell a spreadsheet would run as a formula is prefixed with <c>'</c>) or Markdown.
/// </summary>
internal static class ReportWriter
{
    public static ReportFormat? Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => ReportFormat.Json,
        "csv" => ReportFormat.Csv,
        "markdown" or "md" => ReportFormat.Markdown,
        _ => null,
    };

    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Csv => "text/csv; charset=utf-8; header=present",
        ReportFormat.Markdown => "text/markdown; charset=utf-8",
        _ => "application/json",
    };

    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Csv => "csv",
        ReportFormat.Markdown => "md",
        _ => "json",
    };

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    public static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        Line(text, header);
        foreach (var row in rows)
        {
            Line(text, row);
        }

        return text.ToString();

        static void Line(StringBuilder text, IReadOnlyList<string?> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(CsvCell(cells[i]));
            }

            text.Append("\r\n");
        }
    }

    /// <summary>One CSV field: neutralised against formula injection (OWASP), then quoted when RFC 4180 needs it.</summary>
    public static string CsvCell(string? value)
    {
        var cell = value ?? "";
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    public static string Markdown(string title, IReadOnlyList<(string Name, string Value)> facts, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(MarkdownCell(title)).Append("\n\n");
        foreach (var (name, value) in facts)
        {
            text.Append("- ").Append(name).Append(": ").Append(value).Append('\n');
        }

        text.Append("\n| ").Append(string.Join(" | ", header)).Append(" |\n|").Append(string.Concat(header.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows)
        {
            text.Append("| ").Append(string.Join(" | ", row.Select(MarkdownCell))).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>A table cell: no line breaks, pipes and markup escaped, so a reason cannot break the table or inject HTML.</summary>
    public static string MarkdownCell(string? value)
    {
        var text = new StringBuilder((value?.Length ?? 0) + 8);
        foreach (var c in value ?? "")
        {
            _ = c switch
            {
                '\r' or '\n' => text.Append(' '),
                '|' or '\\' or '`' or '*' or '_' or '[' or ']' => text.Append('\\').Append(c),
                '<' => text.Append("&lt;"),
                '>' => text.Append("&gt;"),
                '&' => text.Append("&amp;"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}
