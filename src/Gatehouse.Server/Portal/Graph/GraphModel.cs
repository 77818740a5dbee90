namespace Gatehouse.Server.Portal.Graph;

/// <summary>"<see cref="Consumer"/> needs <see cref="Provider"/>": every scope between the two apps in one environment.</summary>
internal sealed record GraphEdge(string Consumer, string Provider, IReadOnlyList<string> GrantedScopes, IReadOnlyList<string> PendingScopes)
{
    public bool OnlyPending => GrantedScopes.Count == 0;

    public int Weight => GrantedScopes.Count + PendingScopes.Count;
}

internal sealed record PlacedNode(string Name, string Label, double X, double Y, double Width, int Layer, bool IsFocus);

/// <summary>An edge with its SVG path (a cubic curve from the consumer's box to the provider's).</summary>
internal sealed record PlacedEdge(GraphEdge Edge, string Path);

internal sealed record GraphLayout(double Width, double Height, IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges, int LayerCount)
{
    public const double NodeHeight = 30;

    public static readonly GraphLayout Empty = new(0, 0, [], [], 0);
}
