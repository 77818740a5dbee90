using Gatehouse.Server.Portal.Graph;

namespace Gatehouse.Portal.Tests.Graph;

public class LayeredLayoutTests
{
    private static GraphEdge Edge(string consumer, string provider) => new(consumer, provider, ["read"], []);

    [Fact]
    public void Consumers_are_drawn_above_the_apps_they_need()
    {
        var layout = LayeredLayout.Compute(["web", "billing", "customers"], [Edge("web", "billing"), Edge("billing", "customers"), Edge("web", "customers")]);

        var y = layout.Nodes.ToDictionary(n => n.Name, n => n.Y);
        Assert.True(y["web"] < y["billing"]);
        Assert.True(y["billing"] < y["customers"]);
        Assert.Equal(3, layout.LayerCount);
    }

    [Fact]
    public void A_cycle_is_drawn_without_looping_forever_and_keeps_every_app()
    {
        var layout = LayeredLayout.Compute(["a", "b", "c"], [Edge("a", "b"), Edge("b", "c"), Edge("c", "a")]);

        Assert.Equal(["a", "b", "c"], layout.Nodes.Select(n => n.Name).Order());
        Assert.Equal(3, layout.Edges.Count);
        Assert.All(layout.Edges, e => Assert.StartsWith("M", e.Path));
    }

    [Fact]
    public void Breaking_cycles_turns_as_few_arrows_upwards_as_it_can()
    {
        // a -> x -> {b, c, d, e} -> a: reversing a -> x breaks every cycle at once; reversing the
        // four edges into a (what a depth-first search from a would do) draws four arrows upwards.
        var loop = new[] { "b", "c", "d", "e" };
        var edges = new List<GraphEdge> { Edge("a", "x") };
        edges.AddRange(loop.Select(v => Edge("x", v)));
        edges.AddRange(loop.Select(v => Edge(v, "a")));

        var layout = LayeredLayout.Compute(["a", "x", .. loop], edges);

        var y = layout.Nodes.ToDictionary(n => n.Name, n => n.Y);
        Assert.Equal(1, edges.Count(e => y[e.Consumer] > y[e.Provider]));
    }

    [Fact]
    public void Apps_without_access_share_a_layer_below_the_connected_ones()
    {
        var layout = LayeredLayout.Compute(["web", "api", "lonely", "alone"], [Edge("web", "api")]);

        var byName = layout.Nodes.ToDictionary(n => n.Name);
        Assert.Equal(byName["lonely"].Layer, byName["alone"].Layer);
        Assert.True(byName["alone"].Y > byName["api"].Y);
    }

    [Fact]
    public void Boxes_never_overlap_and_a_wide_layer_wraps_into_rows()
    {
        var providers = Enumerable.Range(1, 40).Select(i => $"service-{i:D2}").ToList();
        var layout = LayeredLayout.Compute(["gateway", .. providers], providers.Select(p => Edge("gateway", p)).ToList(), maxPerRow: 10);

        var rows = layout.Nodes.Where(n => n.Name != "gateway").GroupBy(n => n.Y).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var boxes = row.OrderBy(n => n.X).ToList();
            for (var i = 1; i < boxes.Count; i++)
            {
                Assert.True(boxes[i].X >= boxes[i - 1].X + boxes[i - 1].Width, $"{boxes[i].Name} overlaps {boxes[i - 1].Name}");
            }
        }

        Assert.All(layout.Nodes, n => Assert.InRange(n.X + n.Width, 0, layout.Width));
    }

    [Fact]
    public void Barycentre_ordering_removes_the_crossing_of_two_parallel_chains()
    {
        // a->y and b->x drawn in name order would cross; the sweep puts y under a and x under b.
        var layout = LayeredLayout.Compute(["a", "b", "x", "y"], [Edge("a", "y"), Edge("b", "x")]);

        var x = layout.Nodes.ToDictionary(n => n.Name, n => n.X);
        Assert.Equal(x["a"] < x["b"], x["y"] < x["x"]);
    }

    [Fact]
    public void The_same_graph_gives_the_same_picture()
    {
        var nodes = Enumerable.Range(0, 60).Select(i => $"app-{i}").ToList();
        var random = new Random(7);
        var edges = Enumerable.Range(0, 150).Select(_ => Edge(nodes[random.Next(60)], nodes[random.Next(60)])).Where(e => e.Consumer != e.Provider).ToList();

        var first = LayeredLayout.Compute(nodes, edges);
        var second = LayeredLayout.Compute(nodes.AsEnumerable().Reverse().ToList(), edges);

        Assert.Equal(first.Nodes, second.Nodes);
        Assert.Equal(first.Edges.Select(e => e.Path), second.Edges.Select(e => e.Path));
    }

    [Fact]
    public void Long_names_are_shortened_on_the_box_but_kept_whole_for_the_link()
    {
        var name = "a-remarkably-long-service-name-for-reporting";
        var node = Assert.Single(LayeredLayout.Compute([name], []).Nodes);

        Assert.Equal(name, node.Name);
        Assert.EndsWith("…", node.Label);
        Assert.True(node.Label.Length <= 26);
    }
}
