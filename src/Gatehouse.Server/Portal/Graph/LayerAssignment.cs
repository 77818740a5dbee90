namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// Puts every app on a layer so that, apart from cycles, consumers sit above what they need:
/// cycles are broken by reversing a few edges, then each node goes one layer below its lowest
/// consumer (longest path). Apps with no edges share a last layer of their own.
/// </summary>
internal static class LayerAssignment
{
    public static int[] Assign(int count, IReadOnlyList<(int From, int To)> links)
    {
        var outgoing = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            outgoing[i] = [];
        }

        foreach (var (from, to) in links)
        {
            outgoing[from].Add(to);
        }

        var acyclic = BreakCycles(count, outgoing);
        var incoming = new int[count];
        foreach (var list in acyclic)
        {
            foreach (var to in list)
            {
                incoming[to]++;
            }
        }

        var layer = new int[count];
        var ready = new Queue<int>(Enumerable.Range(0, count).Where(i => incoming[i] == 0));
        while (ready.Count > 0)
        {
            var v = ready.Dequeue();
            foreach (var w in acyclic[v])
            {
                layer[w] = Math.Max(layer[w], layer[v] + 1);
                if (--incoming[w] == 0)
                {
                    ready.Enqueue(w);
                }
            }
        }

        var connected = new bool[count];
        foreach (var (from, to) in links)
        {
            connected[from] = connected[to] = true;
        }

        var isolatedLayer = connected.Any(c => c) ? layer.Where((_, i) => connected[i]).Max() + 1 : 0;
        for (var i = 0; i < count; i++)
        {
            if (!connected[i])
            {
                layer[i] = isolatedLayer;
            }
        }

        return layer;
    }

    /// <summary>
    /// Breaks cycles by reversing as few edges as the greedy heuristic of Eades, Lin and Smyth
    /// finds (1993): peel off sinks to the end and sources to the front, otherwise take the app
    /// with the most outgoing minus incoming edges; an edge that points backwards in the
    /// resulting order is reversed, for layering only. Fewer reversed edges means fewer arrows
    /// drawn upwards against the reading direction.
    /// </summary>
    private static List<int>[] BreakCycles(int count, List<int>[] outgoing)
    {
        var incoming = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            incoming[i] = [];
        }

        for (var v = 0; v < count; v++)
        {
            foreach (var w in outgoing[v])
            {
                incoming[w].Add(v);
            }
        }

        var removed = new bool[count];
        var outDegree = outgoing.Select(o => o.Count).ToArray();
        var inDegree = incoming.Select(i => i.Count).ToArray();
        var front = new List<int>();
        var back = new List<int>();
        var left = count;

        void Remove(int v)
        {
            removed[v] = true;
            left--;
            foreach (var w in outgoing[v])
            {
                inDegree[w]--;
            }

            foreach (var u in incoming[v])
            {
                outDegree[u]--;
            }
        }

        while (left > 0)
        {
            bool changed;
            do
            {
                changed = false;
                for (var v = 0; v < count; v++)
                {
                    if (!removed[v] && outDegree[v] == 0)
                    {
                        Remove(v);
                        back.Add(v);
                        changed = true;
                    }
                    else if (!removed[v] && inDegree[v] == 0)
                    {
                        Remove(v);
                        front.Add(v);
                        changed = true;
                    }
                }
            }
            while (changed);

            if (left > 0)
            {
                var best = Enumerable.Range(0, count).Where(v => !removed[v]).MaxBy(v => outDegree[v] - inDegree[v]);
                Remove(best);
                front.Add(best);
            }
        }

        back.Reverse();
        var position = new int[count];
        var order = front.Concat(back).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            position[order[i]] = i;
        }

        var result = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = [];
        }

        for (var v = 0; v < count; v++)
        {
            foreach (var w in outgoing[v])
            {
                if (position[v] < position[w])
                {
                    result[v].Add(w);
                }
                else
                {
                    result[w].Add(v); // against the order: reversed for layering only
                }
            }
        }

        return result;
    }
}
