namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// Orders the apps inside each layer to reduce crossing edges: alternate downward and upward
/// sweeps move each app to the average position of its neighbours (the barycentre heuristic).
/// </summary>
internal static class CrossingReduction
{
    private const int Sweeps = 6;

    public static List<List<int>> Order(int[] layerOf, IReadOnlyList<(int From, int To)> links)
    {
        var layerCount = layerOf.Length == 0 ? 0 : layerOf.Max() + 1;
        var layers = Enumerable.Range(0, layerCount).Select(_ => new List<int>()).ToList();
        for (var i = 0; i < layerOf.Length; i++)
        {
            layers[layerOf[i]].Add(i); // node ids are in name order, so ties stay alphabetical
        }

        var neighbours = new List<int>[layerOf.Length];
        for (var i = 0; i < neighbours.Length; i++)
        {
            neighbours[i] = [];
        }

        foreach (var (from, to) in links)
        {
            neighbours[from].Add(to);
            neighbours[to].Add(from);
        }

        var position = new double[layerOf.Length];
        Record(layers, position);
        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            var down = sweep % 2 == 0;
            for (var step = 1; step < layerCount; step++)
            {
                var l = down ? step : layerCount - 1 - step;
                var key = new Dictionary<int, double>(layers[l].Count);
                foreach (var v in layers[l])
                {
                    var side = neighbours[v].Where(w => down ? layerOf[w] < l : layerOf[w] > l).ToList();
                    key[v] = side.Count == 0 ? position[v] : side.Average(w => position[w]);
                }

                layers[l] = [.. layers[l].OrderBy(v => key[v]).ThenBy(v => position[v])];
                Record(layers, position);
            }
        }

        return layers;
    }

    /// <summary>Positions are fractions of the layer's width, so layers of different sizes compare.</summary>
    private static void Record(List<List<int>> layers, double[] position)
    {
        foreach (var layer in layers)
        {
            for (var i = 0; i < layer.Count; i++)
            {
                position[layer[i]] = (i + 0.5) / layer.Count;
            }
        }
    }
}
