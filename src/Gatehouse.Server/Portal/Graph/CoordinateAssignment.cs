namespace Gatehouse.Server.Portal.Graph;

/// <summary>Where each box goes once the order inside every layer is fixed.</summary>
internal sealed record Placement(double[] X, double[] Y, double Width, double Height);

internal static class CoordinateAssignment
{
    public const double Margin = 16;
    private const double LayerGap = 62;
    private const double WrapGap = 20;
    private const double NodeGap = 16;
    private const double VirtualGap = 6;
    private const int Iterations = 8;

    /// <summary>
    /// Moves each box towards the mean position of its neighbours in the layer above or below
    /// while keeping the order and the spacing: a least-squares fit under ordering constraints,
    /// solved exactly per layer by isotonic regression (pool adjacent violators).
    /// </summary>
    public static Placement Aligned(List<List<int>> order, ProperGraph graph)
    {
        var n = graph.LayerOf.Length;
        var x = new double[n];
        var up = new List<int>[n];
        var down = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            up[i] = [];
            down[i] = [];
        }

        foreach (var (a, b) in graph.Links)
        {
            var (top, bottom) = graph.LayerOf[a] < graph.LayerOf[b] ? (a, b) : (b, a);
            down[top].Add(bottom);
            up[bottom].Add(top);
        }

        foreach (var layer in order)
        {
            Fit(layer, graph, x, layer.Select(_ => 0.0).ToArray());
        }

        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var downward = iteration % 2 == 0;
            for (var step = 0; step < order.Count; step++)
            {
                var layer = order[downward ? step : order.Count - 1 - step];
                var desired = layer.Select(v =>
                {
                    var side = downward ? up[v] : down[v];
                    if (side.Count == 0)
                    {
                        side = downward ? down[v] : up[v];
                    }

                    return side.Count == 0 ? x[v] : side.Average(w => x[w] + (graph.Widths[w] / 2)) - (graph.Widths[v] / 2);
                }).ToArray();
                Fit(layer, graph, x, desired);
            }
        }

        var shift = Margin - (n == 0 ? 0 : x.Min());
        var y = new double[n];
        var right = 0.0;
        for (var l = 0; l < order.Count; l++)
        {
            foreach (var v in order[l])
            {
                x[v] += shift;
                y[v] = Margin + (l * (GraphLayout.NodeHeight + LayerGap));
                right = Math.Max(right, x[v] + graph.Widths[v]);
            }
        }

        return new Placement(x, y, right + Margin, Margin + (order.Count * (GraphLayout.NodeHeight + LayerGap)) - LayerGap + Margin);
    }

    /// <summary>For large organisations: each layer in rows of at most <paramref name="perRow"/> boxes, centred.</summary>
    public static Placement Wrapped(List<List<int>> order, double[] widths, int perRow)
    {
        var rows = new List<(int[] Nodes, int Layer)>();
        for (var l = 0; l < order.Count; l++)
        {
            rows.AddRange(order[l].Chunk(Math.Max(1, perRow)).Select(chunk => (chunk, l)));
        }

        var rowWidths = rows.Select(r => r.Nodes.Sum(i => widths[i]) + (NodeGap * (r.Nodes.Length - 1))).ToList();
        var total = rowWidths.Max() + (2 * Margin);
        var x = new double[widths.Length];
        var y = new double[widths.Length];
        var top = Margin;
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0)
            {
                top += GraphLayout.NodeHeight + (rows[r].Layer == rows[r - 1].Layer ? WrapGap : LayerGap);
            }

            var left = (total - rowWidths[r]) / 2;
            foreach (var i in rows[r].Nodes)
            {
                x[i] = left;
                y[i] = top;
                left += widths[i] + NodeGap;
            }
        }

        return new Placement(x, y, total, top + GraphLayout.NodeHeight + Margin);
    }

    /// <summary>
    /// Closest positions to <paramref name="desired"/> that keep the layer's order and gaps:
    /// subtracting each box's minimal offset turns the gaps into "non-decreasing", which pool
    /// adjacent violators solves exactly in linear time.
    /// </summary>
    private static void Fit(List<int> layer, ProperGraph graph, double[] x, double[] desired)
    {
        var offset = new double[layer.Count];
        for (var i = 1; i < layer.Count; i++)
        {
            var a = layer[i - 1];
            var b = layer[i];
            var gap = graph.IsVirtual(a) || graph.IsVirtual(b) ? VirtualGap : NodeGap;
            offset[i] = offset[i - 1] + graph.Widths[a] + gap;
        }

        var blocks = new List<(double Sum, int Count)>();
        for (var i = 0; i < layer.Count; i++)
        {
            blocks.Add((desired[i] - offset[i], 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count > blocks[^1].Sum / blocks[^1].Count)
            {
                var last = blocks[^1];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (blocks[^1].Sum + last.Sum, blocks[^1].Count + last.Count);
            }
        }

        var k = 0;
        foreach (var (sum, count) in blocks)
        {
            for (var j = 0; j < count; j++, k++)
            {
                x[layer[k]] = (sum / count) + offset[k];
            }
        }
    }
}
