namespace Gatehouse.Core.Yaml;

/// <summary>
/// Finds a tab used for indentation. YAML forbids it, but the parser accepts some cases
/// (a tab before the first key) and reports others at the wrong place, so we look ourselves.
/// Lines inside block scalars (<c>|</c>, <c>&gt;</c>) are content and may start with tabs.
/// </summary>
internal static class TabIndentation
{
    /// <summary>The 1-based line and column of the first indenting tab at or before <paramref name="lastLine"/>, if any.</summary>
    public static (int Line, int Column)? Find(string text, IReadOnlyList<(int First, int Last)> blockScalarLines, int lastLine)
    {
        var line = 1;
        var start = 0;
        while (start < text.Length && line <= lastLine)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            var tab = IndentingTab(text.AsSpan(start, end - start));
            if (tab >= 0 && !InBlockScalar(blockScalarLines, line))
            {
                return (line, tab + 1);
            }

            line++;
            start = end + 1;
        }

        return null;
    }

    // The index of a tab in the leading whitespace of a line that has content, or -1.
    private static int IndentingTab(ReadOnlySpan<char> line)
    {
        var tab = -1;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\t')
            {
                tab = tab < 0 ? i : tab;
            }
            else if (c != ' ')
            {
                return c is '#' or '\r' ? -1 : tab;
            }
        }

        return -1;
    }

    private static bool InBlockScalar(IReadOnlyList<(int First, int Last)> ranges, int line)
    {
        foreach (var (first, last) in ranges)
        {
            if (line > first && line <= last)
            {
                return true;
            }
        }

        return false;
    }
}
