using System.Text;

namespace Gatehouse.Core.Graph;

/// <summary>Renders the graph as a table a person reads in a terminal: one row per needed scope.</summary>
public static class AccessGraphText
{
    public static string Render(AccessGraph graph)
    {
        var where = graph.Environment is null ? "" : $" in {graph.Environment}";
        if (graph.Edges.Count == 0)
        {
            return $"{Count(graph.Apps.Count, "app")}; none needs access to another app{where}.\n";
        }

        string[] header = ["CONSUMER", "NEEDS", "ENVIRONMENTS", "REASON"];
        var rows = new List<string[]> { header };
        foreach (var edge in graph.Edges)
        {
            var note = edge.Deprecation is not null ? " (deprecated)" : edge.ProviderKnown ? "" : " (not in these files)";
            var environments = edge.Environments is { Count: > 0 } named ? string.Join(", ", named) : "all";
            rows.Add([edge.Consumer, $"{edge.Provider}:{edge.Scope}{note}", environments, edge.Reason]);
        }

        var widths = new int[header.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                text.Append(row[i].PadRight(widths[i] + 2));
            }

            text.Append(row[^1]).Append('\n');
        }

        var consumers = graph.Edges.Select(e => e.Consumer).Distinct().Count();
        text.Append('\n').Append($"{Count(graph.Apps.Count, "app")}, {Count(consumers, "consumer")}, {Count(graph.Edges.Count, "needed scope")}{where}\n");
        return text.ToString();
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
