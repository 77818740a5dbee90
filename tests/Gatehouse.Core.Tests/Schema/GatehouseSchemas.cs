namespace Gatehouse.Core.Tests.Schema;

/// <summary>The published schemas, loaded once from docs/schema.</summary>
internal static class GatehouseSchemas
{
    public static PublishedSchema Manifest { get; } = PublishedSchema.Load(RepositoryPaths.Combine("docs", "schema", "gatehouse.v1.json"));

    public static PublishedSchema Organisation { get; } = PublishedSchema.Load(RepositoryPaths.Combine("docs", "schema", "gatehouse-org.v1.json"));

    /// <summary>The organisation schema for <c>gatehouse.org.yaml</c> and for test cases named <c>org-*.yaml</c>.</summary>
    public static PublishedSchema For(string path)
    {
        var name = Path.GetFileName(path);
        return name == "gatehouse.org.yaml" || name.StartsWith("org-", StringComparison.Ordinal) ? Organisation : Manifest;
    }
}
