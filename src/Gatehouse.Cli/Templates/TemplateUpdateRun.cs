using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>An update worked out: the plan, the two versions, and the template (for migration notes).</summary>
internal sealed record PreparedUpdate(TemplateUpdatePlan Plan, TemplateVersion From, TemplateVersion To, TemplateRecord Old);

/// <summary>Fetches both versions, renders them, and plans the three-way update of one project.</summary>
internal static class TemplateUpdateRun
{
    public static PreparedUpdate? Prepare(
        CliContext context,
        string projectRoot,
        string? to,
        IReadOnlyDictionary<string, string> given,
        List<Diagnostic> problems)
    {
        var record = TemplateWorkflow.ReadRecord(projectRoot, problems);
        if (record is null)
        {
            return null;
        }

        using var source = TemplateSource.Open(record.Source, projectRoot, problems);
        if (source is null)
        {
            return null;
        }

        var target = source.Resolve(to, problems);
        if (target is null)
        {
            return null;
        }

        if (!source.Versions.Contains(record.Version))
        {
            problems.Add(Diagnostic.Error(TemplateCodes.NoSuchVersion, SourceLocation.WholeFile(TemplateRecord.RelativePath),
                $"the project is on version {record.Version}, which the template no longer has; its versions: {string.Join(", ", source.Versions)}"));
            return null;
        }

        var from = source.Load(record.Version, problems);
        var next = target == record.Version ? from : source.Load(target, problems);
        if (from is null || next is null)
        {
            return null;
        }

        var baseFiles = TemplateWorkflow.Render(from, record.Answers, problems);
        var answers = TemplateAnswers.Resolve(next.Definition, record.Answers, given, TemplateWorkflow.Asker(context), problems);
        if (baseFiles is null || problems.Any(p => p.Severity == Severity.Error))
        {
            return null;
        }

        var theirs = TemplateWorkflow.Render(next, answers, problems);
        if (theirs is null)
        {
            return null;
        }

        var plan = TemplateUpdatePlanner.Plan(projectRoot, record, from, baseFiles, next, theirs, answers, record.Source);
        return new PreparedUpdate(plan, from, next, record);
    }

    /// <summary>Writes the plan: files first, the record last, so an interrupted update is rerun from the old version.</summary>
    public static void Apply(string projectRoot, TemplateUpdatePlan plan)
    {
        foreach (var change in plan.Changes)
        {
            var target = Path.Combine(projectRoot, change.Path);
            if (change.Content is not null && change.Action != FileAction.KeptDeleted)
            {
                TemplateWorkflow.WriteAtomically(target, change.Content);
            }

            if (change.Action == FileAction.Removed)
            {
                File.Delete(target);
                RemoveEmptyFolders(projectRoot, Path.GetDirectoryName(target)!);
            }

            if (change.FromPath is { } from && change.Action is FileAction.Renamed or FileAction.Conflict && from != change.Path)
            {
                var old = Path.Combine(projectRoot, from);
                File.Delete(old);
                RemoveEmptyFolders(projectRoot, Path.GetDirectoryName(old)!);
            }
        }

        TemplateWorkflow.WriteRecord(projectRoot, plan.Record);
    }

    public static string Describe(FileChange change) => change.Action switch
    {
        FileAction.Added => $"  added       {change.Path}",
        FileAction.Updated => $"  updated     {change.Path}",
        FileAction.Merged => $"  merged      {change.Path}",
        FileAction.Conflict => $"  CONFLICT    {change.Path}{(change.FromPath is { } f && f != change.Path ? $" (moved from {f})" : "")}{(change.Note is null ? "" : $": {change.Note}")}",
        FileAction.Removed => $"  removed     {change.Path}",
        FileAction.KeptChanged => $"  kept        {change.Path}: {change.Note}",
        FileAction.KeptDeleted => $"  not added   {change.Path}: {change.Note}",
        FileAction.Renamed => $"  renamed     {change.FromPath} -> {change.Path}",
        _ => $"  {change.Action} {change.Path}",
    };

    private static void RemoveEmptyFolders(string root, string folder)
    {
        var top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        for (var current = Path.GetFullPath(folder); current.Length > top.Length && Directory.Exists(current) && !Directory.EnumerateFileSystemEntries(current).Any(); current = Path.GetDirectoryName(current)!)
        {
            Directory.Delete(current);
        }
    }
}
