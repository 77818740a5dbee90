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

        HashSet<string> keep;
        if (filter.Focus is { } focus && apps.Contains(focus))
        {
            keep = Around([focus], neighbours, Math.Clamp(filter.Depth, 1, 5));
        }
        else
        {
            var seeds = apps.Where(a =>
                (filter.Text is null || a.Contains(filter.Text, StringComparison.OrdinalIgnoreCase)) &&
                (filter.TeamApps is null || filter.TeamApps.Contains(a))).ToList();
            var filtered = filter.Text is not null || filter.TeamApps is not null;

            // A filtered view keeps the matches' direct neighbours, so their connections stay visible.
            keep = filtered ? Around(seeds, neighbours, 1) : [.. seeds];
            if (!filter.IncludeIsolated)
            {
                keep.RemoveWhere(a => !neighbours.ContainsKey(a) && !(filtered && seeds.Contains(a)));
            }
        }

        var selected = edges.Where(e => keep.Contains(e.Consumer) && keep.Contains(e.Provider)).ToList();
        return ([.. keep.Order(StringComparer.Ordinal)], selected);
    }

    private static HashSet<string> Around(IEnumerable<string> seeds, Dictionary<string, List<string>> neighbours, int depth)
    {
        var keep = new HashSet<string>(seeds, StringComparer.Ordinal);
        var frontier = keep.ToList();
        for (var d = 0; d < depth && frontier.Count > 0; d++)
        {
            var next = new List<string>();
            foreach (var app in frontier)
            {
                foreach (var n in neighbours.GetValueOrDefault(app) ?? [])
                {
                    if (keep.Add(n))
                    {
                        next.Add(n);
                    }
                }
            }

            frontier = next;
        }

        return keep;
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
