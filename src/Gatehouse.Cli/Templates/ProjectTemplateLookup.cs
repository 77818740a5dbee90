using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>
/// The template a manifest's project was made from, for <c>push</c> to send (ADR 0029): the
/// <c>.gatehouse/template.yaml</c> next to the manifest or in the nearest folder above it, up to
/// the git repository's root (where <c>gatehouse new</c> puts it, beside the project's files).
/// Only the source and the version are sent: answers can hold anything a team typed, and the
/// server needs neither them nor the file hashes.
/// </summary>
internal static class ProjectTemplateLookup
{
    /// <summary>What push sends for one manifest: <c>{source, version}</c>, or null when its project has no record.</summary>
    public static object? For(string manifestPath, string workingDirectory, List<Diagnostic> problems)
    {
        var full = Path.GetFullPath(manifestPath, workingDirectory);
        for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var record = Path.Combine(folder, TemplateRecord.RelativePath);
            if (File.Exists(record))
            {
                var display = Path.GetRelativePath(workingDirectory, record);
                var (read, diagnostics) = TemplateRecord.Read(display, File.ReadAllBytes(record));
                problems.AddRange(diagnostics);
                return read is null ? null : new { source = read.Source, version = read.Version.ToString() };
            }

            // The repository's root is as far up as a project reaches.
            if (Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git")))
            {
                return null;
            }
        }

        return null;
    }
}
