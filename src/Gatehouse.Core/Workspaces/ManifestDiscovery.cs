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

    /// <summary>The files under one existing directory, sorted ordinally by full path.</summary>
    public static List<string> Search(string directory)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            MatchType = MatchType.Simple,
        };
        var files = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && (entry.FileName.SequenceEqual(AppManifest.FileName) || entry.FileName.SequenceEqual(OrganisationFile.FileName)),
            // Symbolic links to folders are not followed: they can loop, and a monorepo's manifests are real files.
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                (entry.Attributes & FileAttributes.ReparsePoint) == 0 && !SkippedFolders.Contains(entry.FileName.ToString()),
        };
        var list = files.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
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
