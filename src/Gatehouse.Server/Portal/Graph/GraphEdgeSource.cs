using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal.Graph;

/// <summary>
/// Loads the connections to draw. The whole environment comes in two queries (and says when
/// the store returned only part of it); one app's neighbourhood comes app by app, so focusing
/// stays fast and complete in an organisation of thousands.
/// </summary>
internal sealed class GraphEdgeSource(IGatehouseStore store)
{
    private const int GrantBatch = 10_000;
    private const int RequestBatch = 5_000;

    public async Task<(IReadOnlyList<GraphEdge> Edges, bool Complete)> EnvironmentAsync(string env, bool pending, CancellationToken ct)
    {
        var granted = await store.ListGrantsAsync(new GrantQuery(Environment: env, ActiveOnly: true, Limit: GrantBatch), ct);
        var waiting = pending ? await store.ListRequestsAsync(new RequestQuery(Environment: env, State: RequestState.Pending, Limit: RequestBatch), ct) : [];
        var complete = granted.Count < GrantBatch && waiting.Count < RequestBatch;
        return (GraphSelection.Edges(granted.Select(g => g.Key), waiting.Select(r => r.Key)), complete);
    }

    /// <summary>Breadth-first from <paramref name="app"/>: each visited app costs two to four indexed queries.</summary>
    public async Task<IReadOnlyList<GraphEdge>> AroundAsync(string app, string env, int depth, bool pending, int maxApps, CancellationToken ct)
    {
        var granted = new HashSet<AccessKey>();
        var waiting = new HashSet<AccessKey>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { app };
        var frontier = new List<string> { app };
        for (var step = 0; step < depth && frontier.Count > 0 && visited.Count <= maxApps; step++)
        {
            var next = new List<string>();
            foreach (var current in frontier)
            {
                var keys = await KeysOfAsync(current, env, pending, granted, waiting, ct);
                foreach (var other in keys.SelectMany(k => new[] { k.Consumer, k.Provider }))
                {
                    if (visited.Add(other))
                    {
                        next.Add(other);
                    }
                }
            }

            frontier = next;
        }

        return GraphSelection.Edges(granted, waiting);
    }

    private async Task<List<AccessKey>> KeysOfAsync(string app, string env, bool pending, HashSet<AccessKey> granted, HashSet<AccessKey> waiting, CancellationToken ct)
    {
        var found = new List<AccessKey>();
        foreach (var query in new[] { new GrantQuery(Consumer: app, Environment: env, Limit: GrantBatch), new GrantQuery(Provider: app, Environment: env, Limit: GrantBatch) })
        {
            var keys = (await store.ListGrantsAsync(query, ct)).Select(g => g.Key).ToList();
            granted.UnionWith(keys);
            found.AddRange(keys);
        }

        if (pending)
        {
            // Without a state filter these use the app's own index; pending ones are picked here.
            foreach (var query in new[] { new RequestQuery(Consumer: app, Environment: env, Limit: RequestBatch), new RequestQuery(Provider: app, Environment: env, Limit: RequestBatch) })
            {
                var keys = (await store.ListRequestsAsync(query, ct)).Where(r => r.State == RequestState.Pending).Select(r => r.Key).ToList();
                waiting.UnionWith(keys);
                found.AddRange(keys);
            }
        }

        return found;
    }
}
