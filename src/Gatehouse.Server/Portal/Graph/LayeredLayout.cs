namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// A layered ("Sugiyama") drawing computed on the server: consumers above the apps they need,
/// long edges routed through virtual points so they pass between boxes, crossings reduced by
/// barycentre sweeps, boxes pulled under their neighbours. A layer wider than
/// <c>maxPerRow</c> apps is wrapped into rows instead (large organisations stay scrollable).
/// Deterministic: the same graph gives the same picture.
/// </summary>
internal static class LayeredLayout
{
    private const int MaxLabel = 26;

    public static GraphLayout Compute(IReadOnlyCollection<string> nodes, IReadOnlyList<GraphEdge> edges, string? focus = null, int maxPerRow = 12)
    {
        if (nodes.Count == 0)
        {
            return GraphLayout.Empty;
        }

        var names = nodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var drawn = edges.Where(e => e.Consumer != e.Provider && index.ContainsKey(e.Consumer) && index.ContainsKey(e.Provider)).ToList();
        var links = drawn.Select(e => (From: index[e.Consumer], To: index[e.Provider])).Distinct().ToList();
        var layerOf = LayerAssignment.Assign(names.Count, links);
        var widths = names.Select(n => Math.Clamp((Label(n).Length * 7.2) + 22, 64, 210)).ToArray();

        var wide = layerOf.GroupBy(l => l).Any(g => g.Count() > maxPerRow);
        var graph = wide ? ProperGraph.Direct(layerOf, links, widths) : ProperGraph.WithVirtualPoints(layerOf, links, widths);
        var order = CrossingReduction.Order(graph.LayerOf, graph.Links);
        var placement = wide ? CoordinateAssignment.Wrapped(order, graph.Widths, maxPerRow) : CoordinateAssignment.Aligned(order, graph);

        var placed = names.Select((n, i) => new PlacedNode(n, Label(n), placement.X[i], placement.Y[i], widths[i], layerOf[i], n == focus)).ToList();
        var paths = EdgeRouting.Route(drawn, index, graph, placement);
        return new GraphLayout(placement.Width, placement.Height, placed, paths, order.Count);
    }

    public static string Label(string name) => name.Length <= MaxLabel ? name : name[..(MaxLabel - 1)] + "…";
}
