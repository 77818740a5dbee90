using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>What an update does to one file.</summary>
internal enum FileAction
{
    /// <summary>New in the template: written.</summary>
    Added,

    /// <summary>The project never changed it: replaced by the template's new content.</summary>
    Updated,

    /// <summary>Both changed it: merged cleanly.</summary>
    Merged,

    /// <summary>Both changed the same lines: written with conflict markers (or, for a binary file, left as the project has it).</summary>
    Conflict,

    /// <summary>The template dropped it and the project never changed it: deleted.</summary>
    Removed,

    /// <summary>The template dropped it but the project changed it: left in place, reported.</summary>
    KeptChanged,

    /// <summary>The project deleted it: stays deleted.</summary>
    KeptDeleted,

    /// <summary>The template moved it: moved, with the content merged.</summary>
    Renamed,
}

/// <summary>One file's change; <see cref="Content"/> is null for a removal or for a file left alone.</summary>
internal sealed record FileChange(string Path, FileAction Action, byte[]? Content, string? FromPath = null, string? Note = null);

/// <summary>The whole update, computed before anything is written (so --dry-run and diff show exactly what update does).</summary>
internal sealed record TemplateUpdatePlan(
    IReadOnlyList<FileChange> Changes,
    TemplateRecord Record)
{
    public IEnumerable<FileChange> Conflicts => Changes.Where(c => c.Action == FileAction.Conflict);
}
