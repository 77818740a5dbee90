using System.Collections.Concurrent;
using System.IO.Enumeration;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Workspaces;

/// <summary>
/// Finds manifest and organisation files: a file path is taken as given, a directory is
/// searched recursively, skipping folders that never hold manifests (.git, node_modules, bin, obj).
/// </summary>
internal static class ManifestDiscovery
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj" };

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Simple,
    };

    /// <summary>The files under one existing directory, sorted ordinally by full path.</summary>
    /// <remarks>
    /// A monorepo has a folder per app, so the walk is mostly opening folders: it goes one level at a
    /// time, the folders of a level in parallel, and sorts at the end so the order never depends on timing.
    /// </remarks>
    public static List<string> Search(string directory)
    {
        var found = new ConcurrentBag<string>();
        List<string> level = [directory];
        while (level.Count > 0)
        {
            var next = new ConcurrentBag<string>();
            if (level.Count == 1)
            {
                SearchOne(level[0], found, next);
            }
            else
            {
                Parallel.ForEach(level, folder => SearchOne(folder, found, next));
            }

            level = [.. next];
        }

        var list = found.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    // The manifests directly in one folder, and the folders below it worth searching.
    private static void SearchOne(string directory, ConcurrentBag<string> found, ConcurrentBag<string> folders)
    {
        var entries = new FileSystemEnumerable<(string Path, bool IsFolder)>(directory,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory), Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory
                // Symbolic links to folders are not followed: they can loop, and a monorepo's manifests are real files.
                ? (entry.Attributes & FileAttributes.ReparsePoint) == 0 && !SkippedFolders.Contains(entry.FileName.ToString())
                : entry.FileName.SequenceEqual(AppManifest.FileName) || entry.FileName.SequenceEqual(OrganisationFile.FileName),
        };
        try
        {
            foreach (var (path, isFolder) in entries)
            {
                (isFolder ? folders : found).Add(path);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while it was being searched: it holds nothing to validate.
        }
    }

    public static bool IsOrganisationFile(string path) =>
        string.Equals(Path.GetFileName(path), OrganisationFile.FileName, StringComparison.Ordinal);

    /// <summary>The nearest organisation file above a path: next to a file, or in a parent of a directory.</summary>
    public static string? FindInParents(string fullPath)
    {
        // A directory was searched already, so the search goes up from its parent.
        var start = Path.TrimEndingDirectorySeparator(fullPath);
        for (var directory = Path.GetDirectoryName(start); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, OrganisationFile.FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
