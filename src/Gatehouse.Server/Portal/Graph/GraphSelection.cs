using Gatehouse.Core.Access;

namespace Gatehouse.Server.Portal.Graph;

/// <summary>What part of the graph to draw: apps matching a text or owned by a team, or one app and its neighbours.</summary>
internal sealed record GraphFilter(string? Text = null, IReadOnlySet<string>? TeamApps = null, string? Focus = null, int Depth = 1, bool IncludeIsolated = false);

/// <summary>Builds the edges of one environment and picks the apps to draw; pure, so it is tested without a server.</summary>
internal static class GraphSelection
{
    /// <summary>One edge per (consumer, provider), listing granted and still-pending scopes.</summary>
    public static IReadOnlyList<GraphEdge> Edges(IEnumerable<AccessKey> granted, IEnumerable<AccessKey> pending)
    {
        var map = new Dictionary<(string, string), (SortedSet<string> Granted, SortedSet<string> Pending)>();
        (SortedSet<string>, SortedSet<string>) Entry(AccessKey k)
        {
            if (!map.TryGetValue((k.Consumer, k.Provider), out var e))
            {
                e = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                map[(k.Consumer, k.Provider)] = e;
            }

            return e;
        }

        foreach (var k in granted)
        {
            Entry(k).Item1.Add(k.Scope);
        }

        foreach (var k in pending)
        {
            var (g, p) = Entry(k);
            if (!g.Contains(k.Scope))
            {
                p.Add(k.Scope);
            }
        }

        return [.. map.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .Select(kv => new GraphEdge(kv.Key.Item1, kv.Key.Item2, [.. kv.Value.Granted], [.. kv.Value.Pending]))];
    }

    public static (IReadOnlyList<string> Nodes, IReadOnlyList<GraphEdge> Edges) Select(IReadOnlyCollection<string> apps, IReadOnlyList<GraphEdge> edges, GraphFilter filter)
    {
        var neighbours = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var e in edges)
        {
            Add(neighbours, e.Consumer, e.Provider);
            Add(neighbours, e.Provider, e.Consumer);
        }

        Dictionary<string, int> distance;
        var depth = 1;
        if (filter.Focus is { } focus && apps.Contains(focus))
        {
            depth = Math.Clamp(filter.Depth, 1, 5);
            distance = Around([focus], neighbours, depth);
        }
        else
        {
            var seeds = apps.Where(a =>
                (filter.Text is null || a.Contains(filter.Text, StringComparison.OrdinalIgnoreCase)) &&
                (filter.TeamApps is null || filter.TeamApps.Contains(a))).ToList();
            var filtered = filter.Text is not null || filter.TeamApps is not null;

            // A filtered view keeps the matches' direct neighbours, so their connections stay visible;
            // the whole organisation counts every app as a match (distance 0), so every edge shows.
            distance = filtered ? Around(seeds, neighbours, 1) : seeds.ToDictionary(a => a, _ => 0, StringComparer.Ordinal);
            if (!filter.IncludeIsolated)
            {
                foreach (var lonely in distance.Keys.Where(a => !neighbours.ContainsKey(a) && !(filtered && seeds.Contains(a))).ToList())
                {
                    distance.Remove(lonely);
                }
            }
        }

        // An edge between two apps at the edge of the selection would pull in a web of
        // neighbours' own connections; only edges that lead outwards from the centre are drawn.
        var selected = edges.Where(e =>
            distance.TryGetValue(e.Consumer, out var a) && distance.TryGetValue(e.Provider, out var b) && Math.Min(a, b) < depth).ToList();
        return ([.. distance.Keys.Order(StringComparer.Ordinal)], selected);
    }

    /// <summary>Breadth-first distance from the seeds, up to <paramref name="depth"/> steps in either direction.</summary>
    private static Dictionary<string, int> Around(IEnumerable<string> seeds, Dictionary<string, List<string>> neighbours, int depth)
    {
        var distance = seeds.Distinct(StringComparer.Ordinal).ToDictionary(a => a, _ => 0, StringComparer.Ordinal);
        var frontier = distance.Keys.ToList();
        for (var d = 1; d <= depth && frontier.Count > 0; d++)
        {
            var next = new List<string>();
            foreach (var app in frontier)
            {
                foreach (var n in neighbours.GetValueOrDefault(app) ?? [])
                {
                    if (distance.TryAdd(n, d))
                    {
                        next.Add(n);
                    }
                }
            }

            frontier = next;
        }

        return distance;
    }

    private static void Add(Dictionary<string, List<string>> map, string from, string to)
    {
        if (!map.TryGetValue(from, out var list))
        {
            list = [];
            map[from] = list;
        }

        list.Add(to);
    }
}
