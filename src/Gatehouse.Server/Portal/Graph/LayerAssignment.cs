namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// Puts every app on a layer so that, apart from cycles, consumers sit above what they need:
/// cycles are broken by reversing depth-first back edges, then each node goes one layer below
/// its lowest consumer (longest path). Apps with no edges share a last layer of their own.
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

    /// <summary>Iterative depth-first search (deep chains must not overflow the stack).</summary>
    private static List<int>[] BreakCycles(int count, List<int>[] outgoing)
    {
        var result = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = [];
        }

        var state = new byte[count]; // 0 unvisited, 1 on stack, 2 done
        var stack = new Stack<(int Node, int Next)>();
        for (var root = 0; root < count; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }

            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (v, next) = stack.Pop();
                if (next < outgoing[v].Count)
                {
                    stack.Push((v, next + 1));
                    var w = outgoing[v][next];
                    if (state[w] == 1)
                    {
                        result[w].Add(v); // back edge: reversed for layering only
                    }
                    else
                    {
                        result[v].Add(w);
                        if (state[w] == 0)
                        {
                            state[w] = 1;
                            stack.Push((w, 0));
                        }
                    }
                }
                else
                {
                    state[v] = 2;
                }
            }
        }

        return result;
    }
}
