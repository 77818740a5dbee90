using System.Text;

namespace Gatehouse.Core.Graph;

/// <summary>Renders the graph as a Mermaid flowchart (GitHub and most wikis draw it inline).</summary>
public static class AccessGraphMermaid
{
    public static string Render(AccessGraph graph)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var app in graph.Apps)
        {
            text.Append($"  {Id(app)}[\"{app}\"]\n");
        }

        foreach (var app in graph.ExternalApps)
        {
            text.Append($"  {Id(app)}[\"{app}\"]:::external\n");
        }

        foreach (var (consumer, provider, edges) in graph.Pairs())
        {
            var label = string.Join(", ", edges.Select(e => e.Deprecation is null ? e.Scope : $"{e.Scope} (deprecated)"));
            text.Append($"  {Id(consumer)} -->|\"{label}\"| {Id(provider)}\n");
        }

        if (graph.ExternalApps.Count > 0)
        {
            text.Append("  classDef external stroke-dasharray: 5 5\n");
        }

        return text.ToString();
    }

    // App names may contain hyphens, which Mermaid reads as part of an arrow; names never contain '_'.
    private static string Id(string app) => "app_" + app.Replace('-', '_');
}
