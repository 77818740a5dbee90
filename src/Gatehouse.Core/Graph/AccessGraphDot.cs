using System.Text;

namespace Gatehouse.Core.Graph;

/// <summary>Renders the graph in Graphviz dot (<c>dot -Tsvg</c>).</summary>
public static class AccessGraphDot
{
    public static string Render(AccessGraph graph)
    {
        var text = new StringBuilder("digraph gatehouse {\n  rankdir=LR;\n  node [shape=box];\n");
        foreach (var app in graph.Apps)
        {
            text.Append($"  {Quote(app)};\n");
        }

        foreach (var app in graph.ExternalApps)
        {
            text.Append($"  {Quote(app)} [style=dashed];\n");
        }

        foreach (var (consumer, provider, edges) in graph.Pairs())
        {
            var label = string.Join("\\n", edges.Select(e => e.Deprecation is null ? e.Scope : $"{e.Scope} (deprecated)"));
            text.Append($"  {Quote(consumer)} -> {Quote(provider)} [label={Quote(label)}];\n");
        }

        return text.Append("}\n").ToString();
    }

    private static string Quote(string id) => "\"" + id.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
