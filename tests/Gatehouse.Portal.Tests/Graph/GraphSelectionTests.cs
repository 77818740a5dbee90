using Gatehouse.Core.Access;
using Gatehouse.Server.Portal.Graph;

namespace Gatehouse.Portal.Tests.Graph;

public class GraphSelectionTests
{
    private static readonly string[] Apps = ["web", "billing", "customers", "ledger", "search", "unused"];

    private static readonly IReadOnlyList<GraphEdge> Edges = GraphSelection.Edges(
        [
            new AccessKey("web", "billing", "invoices.read", "production"),
            new AccessKey("web", "billing", "invoices.write", "production"),
            new AccessKey("billing", "customers", "profile.read", "production"),
            new AccessKey("billing", "ledger", "entries.write", "production"),
        ],
        [
            new AccessKey("search", "customers", "profile.read", "production"),
            new AccessKey("web", "billing", "invoices.read", "production"),
        ]);

    [Fact]
    public void Edges_merge_scopes_per_pair_and_a_granted_scope_is_not_also_pending()
    {
        var web = Edges.Single(e => e.Consumer == "web");
        Assert.Equal(["invoices.read", "invoices.write"], web.GrantedScopes);
        Assert.Empty(web.PendingScopes);

        var search = Edges.Single(e => e.Consumer == "search");
        Assert.True(search.OnlyPending);
    }

    [Fact]
    public void Focus_keeps_the_app_and_its_direct_neighbours_only()
    {
        var (nodes, edges) = GraphSelection.Select(Apps, Edges, new GraphFilter(Focus: "billing", Depth: 1));

        Assert.Equal(["billing", "customers", "ledger", "web"], nodes);
        Assert.Equal(3, edges.Count);
    }

    [Fact]
    public void Focus_leaves_out_edges_between_two_neighbours_so_the_picture_stays_a_star()
    {
        var edges = GraphSelection.Edges(
            [new AccessKey("a", "b", "s", "e"), new AccessKey("a", "c", "s", "e"), new AccessKey("b", "c", "s", "e")], []);

        var (nodes, drawn) = GraphSelection.Select(["a", "b", "c"], edges, new GraphFilter(Focus: "a"));

        Assert.Equal(["a", "b", "c"], nodes);
        Assert.Equal([("a", "b"), ("a", "c")], drawn.Select(e => (e.Consumer, e.Provider)));
    }

    [Fact]
    public void Focus_two_steps_out_reaches_neighbours_of_neighbours()
    {
        var (nodes, _) = GraphSelection.Select(Apps, Edges, new GraphFilter(Focus: "web", Depth: 2));

        Assert.Equal(["billing", "customers", "ledger", "web"], nodes);
    }

    [Fact]
    public void Text_filter_keeps_matches_and_their_neighbours()
    {
        var (nodes, _) = GraphSelection.Select(Apps, Edges, new GraphFilter(Text: "SEARCH"));

        Assert.Equal(["customers", "search"], nodes);
    }

    [Fact]
    public void Apps_without_access_are_left_out_unless_asked_for()
    {
        Assert.DoesNotContain("unused", GraphSelection.Select(Apps, Edges, new GraphFilter()).Nodes);
        Assert.Contains("unused", GraphSelection.Select(Apps, Edges, new GraphFilter(IncludeIsolated: true)).Nodes);
    }
}
