using System.CommandLine;
using Gatehouse.Cli.Templates;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse template update|diff|check</c>: keeps a project made by <c>gatehouse new</c> in step with its template.</summary>
internal static class TemplateCommand
{
    public static Command Create(CliContext context) =>
        new Command("template", "Keep a project made with 'gatehouse new' in step with its template's versions.")
        {
            Update(context),
            Diff(context),
            Check(context),
            PublishTemplateCommand.Create(context),
        }.With("""
            gatehouse template update
            gatehouse template diff --to 2.0.0
            gatehouse template check --max-behind 2
            """);

    private static Option<string?> DirOption() => new("--dir") { Description = "The project's folder [default: .]", HelpName = "DIR" };

    private static Option<string?> ToOption() => new("--to") { Description = "The version to move to [default: the latest]", HelpName = "V" };

    private static Command Update(CliContext context)
    {
        var to = ToOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; write nothing" };
        var answers = NewCommand.AnswerOption();
        var allowDirty = new Option<bool>("--allow-dirty") { Description = "Run even with uncommitted changes in the git work tree" };
        var dir = DirOption();
        var command = new Command("update", "Three-way merge a newer template version into the project: your edits stay, the template's changes arrive, conflicts get markers (exit 1). Refuses on a dirty git work tree.")
        {
            to, dryRun, answers, allowDirty, dir,
        };
        command.SetAction(parseResult =>
        {
            // Refuse before fetching anything: the check is cheap, the clone and renders are not.
            var root = Path.GetFullPath(parseResult.GetValue(dir) ?? ".", context.WorkingDirectory);
            try
            {
                if (!parseResult.GetValue(dryRun) && !parseResult.GetValue(allowDirty) && Directory.Exists(root) && TemplateWorkflow.IsDirty(root))
                {
                    return context.Fail(ExitCodes.Failed, $"the git work tree has uncommitted changes; commit or stash them so the update can be reviewed and undone, or pass --allow-dirty [{TemplateCodes.DirtyWorkTree}]");
                }
            }
            catch (GitMissingException ex)
            {
                return context.Fail(ExitCodes.Failed, $"{ex.Message} [{TemplateCodes.GitMissing}]");
            }

            return Run(context, parseResult.GetValue(dir), parseResult.GetValue(to), parseResult.GetValue(answers),
                (projectRoot, prepared) => Report(context, projectRoot, prepared, write: !parseResult.GetValue(dryRun), showDiff: false));
        });
        command.With("""
            gatehouse template update                       # to the latest version
            gatehouse template update --to 1.2.0 --dry-run
            gatehouse template update --answer database=postgres   # change an answer; re-renders
            """);
        return command;
    }

    private static Command Diff(CliContext context)
    {
        var to = ToOption();
        var answers = NewCommand.AnswerOption();
        var dir = DirOption();
        var command = new Command("diff", "Show, as a unified diff, what 'template update' would change. Writes nothing.") { to, answers, dir };
        command.SetAction(parseResult => Run(context, parseResult.GetValue(dir), parseResult.GetValue(to), parseResult.GetValue(answers),
            (root, prepared) => Report(context, root, prepared, write: false, showDiff: true)));
        command.With("""
                gatehouse template diff
                gatehouse template diff --to 2.0.0 --dir services/billing
                """);
        return command;
    }

    private static Command Check(CliContext context)
    {
        var maxBehind = new Option<int>("--max-behind") { Description = "How many versions behind the latest are allowed [default: 0]", HelpName = "N" };
        var dir = DirOption();
        var command = new Command("check", "Exit 1 when the project is more than N template versions behind the latest (for CI).") { maxBehind, dir };
        command.SetAction(parseResult => CheckRun(context, parseResult.GetValue(dir), parseResult.GetValue(maxBehind)));
        command.With("""
                gatehouse template check                 # fails unless on the latest version
                gatehouse template check --max-behind 2
                """);
        return command;
    }

    private static int Run(CliContext context, string? dir, string? to, string[]? answerValues, Func<string, PreparedUpdate, int> then)
    {
        var given = TemplateWorkflow.ParseAnswers(answerValues, out var answerProblem);
        if (given is null)
        {
            return context.Fail(ExitCodes.Usage, answerProblem!);
        }

        var root = Path.GetFullPath(dir ?? ".", context.WorkingDirectory);
        var problems = new List<Diagnostic>();
        try
        {
            var prepared = TemplateUpdateRun.Prepare(context, root, to, given, problems);
            return prepared is null ? NewCommand.Failed(context, problems) : then(root, prepared);
        }
        catch (GitMissingException ex)
        {
            return context.Fail(ExitCodes.Failed, $"{ex.Message} [{TemplateCodes.GitMissing}]");
        }
    }

    private static int Report(CliContext context, string root, PreparedUpdate prepared, bool write, bool showDiff)
    {
        var plan = prepared.Plan;
        var movement = prepared.From.Version == prepared.To.Version ? $"version {prepared.To.Version}" : $"{prepared.From.Version} -> {prepared.To.Version}";
        if (plan.Changes.Count == 0 && prepared.From.Version == prepared.To.Version && SameAnswers(prepared.Old, plan.Record))
        {
            context.Out.WriteLine($"Up to date: {movement}.");
            return ExitCodes.Ok;
        }

        context.Out.WriteLine($"{(write ? "Updating" : "Would update")} {movement}:");
        foreach (var change in plan.Changes)
        {
            context.Out.WriteLine(TemplateUpdateRun.Describe(change));
            if (showDiff && change.Content is not null && change.Action != FileAction.KeptDeleted)
            {
                var current = Path.Combine(root, change.FromPath ?? change.Path);
                UnifiedDiff.Write(context.Out, change.FromPath ?? change.Path, change.Path, File.Exists(current) ? File.ReadAllBytes(current) : [], change.Content);
            }
            else if (showDiff && change.Action == FileAction.Removed)
            {
                UnifiedDiff.Write(context.Out, change.Path, change.Path, File.ReadAllBytes(Path.Combine(root, change.Path)), null);
            }
        }

        if (plan.Changes.Count == 0)
        {
            context.Out.WriteLine("  (no file changes)");
        }

        foreach (var (version, note) in prepared.To.Definition.NotesBetween(prepared.From.Version, prepared.To.Version))
        {
            context.Out.WriteLine($"Migration notes for {version}:");
            foreach (var line in note.Split('\n'))
            {
                context.Out.WriteLine($"  {line}");
            }
        }

        if (write)
        {
            TemplateUpdateRun.Apply(root, plan);
        }

        var conflicts = plan.Conflicts.Select(c => c.Path).ToList();
        if (conflicts.Count > 0)
        {
            context.Error.WriteLine($"gatehouse: error: {conflicts.Count} file{(conflicts.Count == 1 ? "" : "s")} {(write ? "have" : "would have")} conflicts; resolve the marked lines, then commit [{TemplateCodes.MergeConflicts}]:");
            foreach (var path in conflicts)
            {
                context.Error.WriteLine($"  {path}");
            }

            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }

    private static bool SameAnswers(TemplateRecord old, TemplateRecord next) =>
        old.Answers.Count == next.Answers.Count && old.Answers.All(a => next.Answers.TryGetValue(a.Key, out var v) && v == a.Value);

    private static int CheckRun(CliContext context, string? dir, int maxBehind)
    {
        if (maxBehind < 0)
        {
            return context.Fail(ExitCodes.Usage, "--max-behind must be 0 or more");
        }

        var root = Path.GetFullPath(dir ?? ".", context.WorkingDirectory);
        var problems = new List<Diagnostic>();
        try
        {
            var record = TemplateWorkflow.ReadRecord(root, problems);
            using var source = record is null ? null : TemplateSource.Open(record.Source, root, problems);
            if (record is null || source is null)
            {
                return NewCommand.Failed(context, problems);
            }

            var releases = source.Versions.Where(v => v.PreRelease is null).ToList();
            var behind = releases.Count(v => v > record.Version);
            var latest = releases.DefaultIfEmpty(source.Latest).Max()!;
            if (behind > maxBehind)
            {
                context.Error.WriteLine($"gatehouse: error: the project is on {record.Version}, {behind} version{(behind == 1 ? "" : "s")} behind {latest} (allowed: {maxBehind}); run 'gatehouse template update' [{TemplateCodes.TooFarBehind}]");
                return ExitCodes.Failed;
            }

            context.Out.WriteLine(behind == 0 ? $"On the latest version, {record.Version}." : $"On {record.Version}, {behind} behind {latest} (allowed: {maxBehind}).");
            return ExitCodes.Ok;
        }
        catch (GitMissingException ex)
        {
            return context.Fail(ExitCodes.Failed, $"{ex.Message} [{TemplateCodes.GitMissing}]");
        }
    }
}
