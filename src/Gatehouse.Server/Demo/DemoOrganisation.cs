using System.Reflection;

namespace Gatehouse.Server.Demo;

/// <summary>
/// The example organisation (examples/acme), embedded in the server at build time so
/// <c>serve --demo</c> works from a published binary anywhere.
/// </summary>
internal static class DemoOrganisation
{
    private const string Prefix = "demo/";

    public sealed record DemoFile(string Path, string Content);

    public static DemoFile Organisation => Files().Single(f => f.Path.EndsWith("gatehouse.org.yaml", StringComparison.Ordinal));

    public static IReadOnlyList<DemoFile> Manifests => Files().Where(f => f.Path.EndsWith("/gatehouse.yaml", StringComparison.Ordinal)).ToList();

    private static IEnumerable<DemoFile> Files()
    {
        var assembly = typeof(DemoOrganisation).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return new DemoFile("examples/acme/" + name[Prefix.Length..].Replace('\\', '/'), reader.ReadToEnd());
        }
    }
}
