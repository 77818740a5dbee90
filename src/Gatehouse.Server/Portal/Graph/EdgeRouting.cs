using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// SVG paths for the edges: from a port on the consumer's box, through the edge's virtual
/// points, to a port on the provider's box, as vertical-tangent cubic curves. Ports are spread
/// along each box side in the order of the other ends, so edges leave a box without crossing.
/// </summary>
internal static class EdgeRouting
{
    public static List<PlacedEdge> Route(List<GraphEdge> edges, Dictionary<string, int> index, ProperGraph graph, Placement at)
    {
        var points = new Dictionary<(int From, int To), List<(double X, double Y)>>();
        var ports = new Dictionary<(int Node, bool Bottom), List<((int, int) Link, bool IsStart, double OtherX)>>();
        foreach (var (link, chain) in graph.Chains)
        {
            var (from, to) = link;
            var downward = graph.LayerOf[to] > graph.LayerOf[from];
            var firstX = chain.Count > 0 ? Center(chain[0], graph, at) : Center(to, graph, at);
            var lastX = chain.Count > 0 ? Center(chain[^1], graph, at) : Center(from, graph, at);
            Add(ports, (from, downward), (link, true, firstX));
            Add(ports, (to, !downward), (link, false, lastX));
            points[link] = [.. chain.Select(v => (Center(v, graph, at), at.Y[v] + (GraphLayout.NodeHeight / 2)))];
        }

        var start = new Dictionary<(int, int), (double, double)>();
        var end = new Dictionary<(int, int), (double, double)>();
        foreach (var ((node, bottom), list) in ports)
        {
            var sorted = list.OrderBy(p => p.OtherX).ToList();
            for (var i = 0; i < sorted.Count; i++)
            {
                var px = at.X[node] + (graph.Widths[node] * (i + 1) / (sorted.Count + 1));
                var py = bottom ? at.Y[node] + GraphLayout.NodeHeight : at.Y[node];
                (sorted[i].IsStart ? start : end)[sorted[i].Link] = (px, sorted[i].IsStart ? py : py + (bottom ? 4 : -4));
            }
        }

        var result = new List<PlacedEdge>(edges.Count);
        foreach (var e in edges)
        {
            var link = (index[e.Consumer], index[e.Provider]);
            result.Add(new PlacedEdge(e, Path([start[link], .. points[link], end[link]])));
        }

        return result;
    }

    private static double Center(int v, ProperGraph graph, Placement at) => at.X[v] + (graph.Widths[v] / 2);

    private static string Path(List<(double X, double Y)> p)
    {
        var path = new StringBuilder();
        path.Append(CultureInfo.InvariantCulture, $"M{p[0].X:0.#} {p[0].Y:0.#}");
        for (var i = 1; i < p.Count; i++)
        {
            var (x1, y1) = p[i - 1];
            var (x2, y2) = p[i];
            var bend = (y2 - y1) / 2;
            path.Append(CultureInfo.InvariantCulture, $" C{x1:0.#} {y1 + bend:0.#} {x2:0.#} {y2 - bend:0.#} {x2:0.#} {y2:0.#}");
        }

        return path.ToString();
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
