using System.Globalization;

namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// A layered ("Sugiyama") drawing computed on the server: consumers above the apps they need,
/// crossings reduced by barycentre sweeps, wide layers wrapped into rows so 500 apps stay
/// scrollable rather than 50,000 pixels wide. Deterministic: same graph, same picture.
/// </summary>
internal static class LayeredLayout
{
    private const double RowGap = 70;
    private const double LayerGap = 34;
    private const double NodeGap = 18;
    private const double Margin = 16;
    private const int MaxLabel = 26;

    public static GraphLayout Compute(IReadOnlyCollection<string> nodes, IReadOnlyList<GraphEdge> edges, string? focus = null, int maxPerRow = 12)
    {
        if (nodes.Count == 0)
        {
            return GraphLayout.Empty;
        }

        var names = nodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var links = edges.Where(e => index.ContainsKey(e.Consumer) && index.ContainsKey(e.Provider) && e.Consumer != e.Provider)
            .Select(e => (From: index[e.Consumer], To: index[e.Provider])).ToList();

        var layers = LayerAssignment.Assign(names.Count, links);
        var order = CrossingReduction.Order(layers, links);
        return Place(names, order, edges, index, focus, maxPerRow, layers);
    }

    private static GraphLayout Place(List<string> names, List<List<int>> order, IReadOnlyList<GraphEdge> edges, Dictionary<string, int> index, string? focus, int maxPerRow, int[] layerOf)
    {
        var width = names.Select(n => Math.Clamp(Label(n).Length * 7.4 + 22, 70, 220)).ToArray();
        var rows = new List<List<int>>();
        var rowLayer = new List<int>();
        for (var l = 0; l < order.Count; l++)
        {
            foreach (var chunk in order[l].Chunk(Math.Max(1, maxPerRow)))
            {
                rows.Add([.. chunk]);
                rowLayer.Add(l);
            }
        }

        var rowWidths = rows.Select(r => r.Sum(i => width[i]) + (NodeGap * (r.Count - 1))).ToList();
        var total = rowWidths.Max() + (2 * Margin);
        var x = new double[names.Count];
        var y = new double[names.Count];
        var top = Margin;
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0)
            {
                top += GraphLayout.NodeHeight + (rowLayer[r] == rowLayer[r - 1] ? LayerGap - 14 : RowGap);
            }

            var left = (total - rowWidths[r]) / 2;
            foreach (var i in rows[r])
            {
                x[i] = left;
                y[i] = top;
                left += width[i] + NodeGap;
            }
        }

        var placed = names.Select((n, i) => new PlacedNode(n, Label(n), x[i], y[i], width[i], layerOf[i], n == focus)).ToList();
        var paths = new List<PlacedEdge>();
        foreach (var e in edges)
        {
            if (index.TryGetValue(e.Consumer, out var a) && index.TryGetValue(e.Provider, out var b) && a != b)
            {
                paths.Add(new PlacedEdge(e, Curve(x[a] + (width[a] / 2), y[a], x[b] + (width[b] / 2), y[b])));
            }
        }

        return new GraphLayout(total, top + GraphLayout.NodeHeight + Margin, placed, paths, order.Count);
    }

    /// <summary>Leaves the bottom of the upper box, enters the top of the lower one.</summary>
    private static string Curve(double x1, double y1, double x2, double y2)
    {
        var down = y2 >= y1;
        var sy = down ? y1 + GraphLayout.NodeHeight : y1;
        var ty = down ? y2 - 4 : y2 + GraphLayout.NodeHeight + 4;
        var bend = Math.Max(24, Math.Abs(ty - sy) / 2);
        var c1 = down ? sy + bend : sy - bend;
        var c2 = down ? ty - bend : ty + bend;
        return string.Create(CultureInfo.InvariantCulture, $"M{x1:0.#} {sy:0.#} C{x1:0.#} {c1:0.#} {x2:0.#} {c2:0.#} {x2:0.#} {ty:0.#}");
    }

    public static string Label(string name) => name.Length <= MaxLabel ? name : name[..(MaxLabel - 1)] + "…";
}
