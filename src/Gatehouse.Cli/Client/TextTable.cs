using System.Text;

namespace Gatehouse.Cli.Client;

/// <summary>A plain aligned text table for terminals and CI logs (no colour, no box drawing).</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    // A line break inside a cell (a multi-line reason) would start a false row: keep each row on one line.
    public void Add(params string?[] cells) => _rows.Add(cells.Select(c => c?.ReplaceLineEndings(" ") ?? string.Empty).ToArray());

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths);
        foreach (var row in _rows)
        {
            Line(text, row, widths);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}
