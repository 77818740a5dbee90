using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>The example organisation in examples/acme, read as JSON trees.</summary>
internal static class AcmeExample
{
    public static string Folder { get; } = RepositoryPaths.Combine("examples", "acme");

    public static string OrganisationPath { get; } = Path.Combine(Folder, "gatehouse.org.yaml");

    public static IReadOnlyList<string> ManifestPaths { get; } =
        Directory.GetFiles(Folder, "gatehouse.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public static JsonElement Organisation { get; } = YamlToJson.Load(OrganisationPath);

    /// <summary>Manifests by the folder they live in (services/&lt;folder&gt;/gatehouse.yaml).</summary>
    public static IReadOnlyDictionary<string, JsonElement> Manifests { get; } =
        ManifestPaths.ToDictionary(p => Path.GetFileName(Path.GetDirectoryName(p)!), YamlToJson.Load);

    public static TheoryData<string> AllFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in ManifestPaths.Prepend(OrganisationPath))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, path));
        }

        return data;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var list) ? list.EnumerateArray() : [];

    public static IEnumerable<string> Strings(this JsonElement element, string property) =>
        element.Items(property).Select(item => item.GetString()!);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
