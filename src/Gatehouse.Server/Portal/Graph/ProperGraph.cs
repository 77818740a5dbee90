namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// The graph the layout works on: the apps (ids 0..n-1) plus, for an edge that spans several
/// layers, one virtual point per layer crossed (ids n and up), so every link joins adjacent layers.
/// </summary>
internal sealed class ProperGraph
{
    public const double VirtualWidth = 6;

    public required int RealCount { get; init; }

    public required int[] LayerOf { get; init; }

    public required double[] Widths { get; init; }

    public required List<(int From, int To)> Links { get; init; }

    /// <summary>For each app-to-app link, the virtual points it passes through, from consumer to provider.</summary>
    public required Dictionary<(int From, int To), List<int>> Chains { get; init; }

    public bool IsVirtual(int id) => id >= RealCount;

    public static ProperGraph Direct(int[] layerOf, List<(int From, int To)> links, double[] widths) => new()
    {
        RealCount = layerOf.Length,
        LayerOf = layerOf,
        Widths = widths,
        Links = links,
        Chains = links.ToDictionary(l => l, _ => new List<int>()),
    };

    public static ProperGraph WithVirtualPoints(int[] layerOf, List<(int From, int To)> links, double[] widths)
    {
        var layers = new List<int>(layerOf);
        var width = new List<double>(widths);
        var proper = new List<(int, int)>();
        var chains = new Dictionary<(int, int), List<int>>();
        foreach (var (from, to) in links)
        {
            var chain = new List<int>();
            var step = layerOf[to] > layerOf[from] ? 1 : -1;
            var previous = from;
            for (var l = layerOf[from] + step; l != layerOf[to]; l += step)
            {
                var id = layers.Count;
                layers.Add(l);
                width.Add(VirtualWidth);
                chain.Add(id);
                proper.Add((previous, id));
                previous = id;
            }

            proper.Add((previous, to));
            chains[(from, to)] = chain;
        }

        return new ProperGraph { RealCount = layerOf.Length, LayerOf = [.. layers], Widths = [.. width], Links = proper, Chains = chains };
    }
}
