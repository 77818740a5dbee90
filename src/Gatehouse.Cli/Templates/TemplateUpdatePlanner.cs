using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>
/// The three-way update of ADR 0025: base = the project's version rendered with its stored
/// answers, theirs = the new version rendered with the new answers, ours = the project on disk.
/// Only files the template produced (the record's list) or produces now are ever looked at.
/// </summary>
internal static class TemplateUpdatePlanner
{
    public static TemplateUpdatePlan Plan(
        string projectRoot,
        TemplateRecord record,
        TemplateVersion from,
        IReadOnlyDictionary<string, RenderedFile> @base,
        TemplateVersion to,
        IReadOnlyDictionary<string, RenderedFile> theirs,
        IReadOnlyDictionary<string, string> newAnswers,
        string newSource)
    {
        // A base file the record does not list was never written into this project (or was removed from the
        // record by hand): the update treats it as unknown to the template's past.
        var baseFiles = @base.Where(f => record.Files.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value.Content, StringComparer.Ordinal);
        var theirFiles = theirs.ToDictionary(f => f.Key, f => f.Value.Content, StringComparer.Ordinal);
        var renames = Renames(record, from, to, baseFiles, theirFiles, newAnswers);

        var baseLabel = $"template {from.Version}";
        var theirsLabel = $"template {to.Version}";
        var changes = new List<FileChange>();
        foreach (var (oldPath, newPath) in renames)
        {
            var ours = Read(projectRoot, oldPath);
            var b = baseFiles[oldPath];
            var t = theirFiles[newPath];
            if (ours is null)
            {
                changes.Add(new FileChange(newPath, FileAction.KeptDeleted, null, oldPath, "you deleted it; the template moved it"));
                continue;
            }

            var (content, conflicted) = Combine(ours, b, t, baseLabel, theirsLabel);
            changes.Add(new FileChange(newPath, conflicted ? FileAction.Conflict : FileAction.Renamed, content, oldPath));
        }

        var moved = renames.Keys.ToHashSet(StringComparer.Ordinal);
        var arrived = renames.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var path in baseFiles.Keys.Union(theirFiles.Keys).Order(StringComparer.Ordinal))
        {
            if (moved.Contains(path) || arrived.Contains(path))
            {
                continue;
            }

            baseFiles.TryGetValue(path, out var b);
            theirFiles.TryGetValue(path, out var t);
            var ours = Read(projectRoot, path);
            if (Plan(path, ours, b, t, baseLabel, theirsLabel, record.Files.ContainsKey(path)) is { } change)
            {
                changes.Add(change);
            }
        }

        var hashes = theirFiles.ToDictionary(f => f.Key, f => TemplateRecord.Hash(f.Value), StringComparer.Ordinal);
        return new TemplateUpdatePlan(changes, new TemplateRecord(newSource, to.Version, newAnswers, hashes));
    }

    private static FileChange? Plan(string path, byte[]? ours, byte[]? b, byte[]? t, string baseLabel, string theirsLabel, bool recorded)
    {
        if (b is null)
        {
            // New in the template (or newly produced by a changed answer).
            if (ours is null)
            {
                return new FileChange(path, FileAction.Added, t);
            }

            if (recorded)
            {
                return null; // produced before, not in the old rendering: leave the project's file be
            }

            return Same(ours, t!) ? null : Merge(path, ours, [], t!, baseLabel, theirsLabel);
        }

        if (t is null)
        {
            return ours is null ? null
                : Same(ours, b) ? new FileChange(path, FileAction.Removed, null)
                : new FileChange(path, FileAction.KeptChanged, null, Note: "the template dropped it; kept because you changed it");
        }

        if (ours is null)
        {
            return Same(b, t) ? null : new FileChange(path, FileAction.KeptDeleted, null, Note: "you deleted it; the template changed it");
        }

        if (Same(b, t) || Same(ours, t))
        {
            return null;
        }

        return Same(ours, b) ? new FileChange(path, FileAction.Updated, t) : Merge(path, ours, b, t, baseLabel, theirsLabel);
    }

    private static FileChange Merge(string path, byte[] ours, byte[] b, byte[] t, string baseLabel, string theirsLabel)
    {
        var (content, conflicted) = Combine(ours, b, t, baseLabel, theirsLabel);
        return conflicted
            ? new FileChange(path, FileAction.Conflict, content, Note: content == ours ? "binary file changed by both; kept yours" : null)
            : new FileChange(path, FileAction.Merged, content);
    }

    private static (byte[] Content, bool Conflicted) Combine(byte[] ours, byte[] b, byte[] t, string baseLabel, string theirsLabel)
    {
        if (Same(ours, b))
        {
            return (t, false);
        }

        if (Same(b, t) || Same(ours, t))
        {
            return (ours, false);
        }

        if (TemplateRenderer.IsBinary(ours) || TemplateRenderer.IsBinary(b) || TemplateRenderer.IsBinary(t))
        {
            return (ours, true); // no line merge of binary content: the project's copy stays, reported as a conflict
        }

        return FileMerge.Merge(ours, b, t, baseLabel, theirsLabel);
    }

    /// <summary>
    /// Old path → new path: the template's explicit <c>renamed:</c> notes first, then a file that left
    /// one path and arrived at another with the same content.
    /// </summary>
    private static Dictionary<string, string> Renames(
        TemplateRecord record,
        TemplateVersion from,
        TemplateVersion to,
        Dictionary<string, byte[]> baseFiles,
        Dictionary<string, byte[]> theirFiles,
        IReadOnlyDictionary<string, string> newAnswers)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        bool Candidate(string oldPath, string newPath) =>
            baseFiles.ContainsKey(oldPath) && !theirFiles.ContainsKey(oldPath)
            && theirFiles.ContainsKey(newPath) && !baseFiles.ContainsKey(newPath)
            && !renames.ContainsKey(oldPath) && !renames.ContainsValue(newPath);

        foreach (var note in to.Definition.Renamed)
        {
            if (TemplateRenderer.RenderPath(from.Definition, note.From, record.Answers) is { } oldPath
                && TemplateRenderer.RenderPath(to.Definition, note.To, newAnswers) is { } newPath
                && Candidate(oldPath, newPath))
            {
                renames[oldPath] = newPath;
            }
        }

        var arrivals = theirFiles.Where(f => !baseFiles.ContainsKey(f.Key))
            .GroupBy(f => TemplateRecord.Hash(f.Value))
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().Key, StringComparer.Ordinal);
        var departures = baseFiles.Where(f => !theirFiles.ContainsKey(f.Key)).GroupBy(f => TemplateRecord.Hash(f.Value)).Where(g => g.Count() == 1);
        foreach (var departure in departures)
        {
            var oldPath = departure.Single().Key;
            if (arrivals.TryGetValue(departure.Key, out var newPath) && Candidate(oldPath, newPath))
            {
                renames[oldPath] = newPath;
            }
        }

        return renames;
    }

    private static byte[]? Read(string root, string path)
    {
        var full = Path.Combine(root, path);
        return File.Exists(full) ? File.ReadAllBytes(full) : null;
    }

    private static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);
}
