using Gatehouse.Core.Manifests;

namespace Gatehouse.Core.Graph;

/// <summary>One declared access: <see cref="Consumer"/> needs <see cref="Provider"/>'s <see cref="Scope"/>.</summary>
/// <param name="Environments">The environments named by the need; null means every environment.</param>
/// <param name="ProviderKnown">False when the provider's manifest is not among the files (it may live elsewhere).</param>
/// <param name="Deprecation">The provider's deprecation message for the scope, when it is deprecated.</param>
public sealed record AccessEdge(
    string Consumer,
    string Provider,
    string Scope,
    string Reason,
    IReadOnlyList<string>? Environments,
    bool ProviderKnown,
    string? Deprecation);

/// <summary>Who needs what: apps as nodes, each needed scope as an edge, in a stable order.</summary>
public sealed class AccessGraph
{
    private AccessGraph(string? environment, IReadOnlyList<string> apps, IReadOnlyList<string> externalApps, IReadOnlyList<AccessEdge> edges)
    {
        Environment = environment;
        Apps = apps;
        ExternalApps = externalApps;
        Edges = edges;
    }

    /// <summary>The environment the graph is limited to, or null for every environment.</summary>
    public string? Environment { get; }

    /// <summary>Apps with a manifest among the files, sorted.</summary>
    public IReadOnlyList<string> Apps { get; }

    /// <summary>Apps that are needed but have no manifest among the files, sorted.</summary>
    public IReadOnlyList<string> ExternalApps { get; }

    /// <summary>Every needed scope, sorted by consumer, provider and scope.</summary>
    public IReadOnlyList<AccessEdge> Edges { get; }

    /// <summary>Builds the graph; with an environment, only needs that apply in it are kept.</summary>
    public static AccessGraph Build(IReadOnlyList<AppManifest> manifests, string? environment = null)
    {
        var byApp = new Dictionary<string, AppManifest>(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            byApp.TryAdd(manifest.App, manifest);
        }

        var edges = new List<AccessEdge>();
        var external = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var manifest in byApp.Values)
        {
            foreach (var need in manifest.Needs)
            {
                if (environment is not null && need.Environments is { Count: > 0 } named && !named.Contains(environment))
                {
                    continue;
                }

                byApp.TryGetValue(need.App, out var provider);
                if (provider is null)
                {
                    external.Add(need.App);
                }

                foreach (var scope in need.Scopes)
                {
                    var deprecation = provider?.Scopes.FirstOrDefault(s => s.Name == scope)?.Deprecation?.Message;
                    edges.Add(new AccessEdge(manifest.App, need.App, scope, need.Reason, need.Environments, provider is not null, deprecation));
                }
            }
        }

        edges.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Consumer, b.Consumer);
            order = order != 0 ? order : string.CompareOrdinal(a.Provider, b.Provider);
            return order != 0 ? order : string.CompareOrdinal(a.Scope, b.Scope);
        });
        var apps = byApp.Keys.Order(StringComparer.Ordinal).ToList();
        return new AccessGraph(environment, apps, [.. external], edges);
    }

    /// <summary>The edges grouped by (consumer, provider), for renderers that draw one arrow per pair.</summary>
    internal IEnumerable<(string Consumer, string Provider, List<AccessEdge> Edges)> Pairs() =>
        Edges.GroupBy(e => (e.Consumer, e.Provider)).Select(g => (g.Key.Consumer, g.Key.Provider, g.ToList()));
}
