namespace Gatehouse.Bench.Parsing;

/// <summary>Finds manifests the way `gatehouse validate DIR` does (docs/manifest.md, discovery).</summary>
internal static class ManifestDiscovery
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj" };

    public static List<string> Find(string root)
    {
        var found = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo && !Skipped.Contains(entry.Name))
                {
                    pending.Push(entry.FullName);
                }
                else if (entry is FileInfo && entry.Name is "gatehouse.yaml" or "gatehouse.org.yaml")
                {
                    found.Add(entry.FullName);
                }
            }
        }

        return found;
    }
}
