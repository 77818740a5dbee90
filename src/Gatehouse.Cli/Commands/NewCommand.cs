using System.CommandLine;
using Gatehouse.Cli.Templates;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse new TEMPLATE [DEST]</c>: renders a template version into a new project and records it.</summary>
internal static class NewCommand
{
    public const string Examples = """
        gatehouse new https://git.example.com/platform/aspnet-service.git billing      # asks the questions
        gatehouse new ../templates/aspnet-service billing --answer app=billing --answer owners=team:payments
        gatehouse new ../templates/aspnet-service billing --version 1.1.0 --answer app=billing
        """;

    public static Command Create(CliContext context)
    {
        var template = new Argument<string>("TEMPLATE") { Description = "The template's git repository: a local path or any URL git can clone" };
        var destination = new Argument<string?>("DEST") { Description = "The folder to create [default: .]; must be empty or absent", Arity = ArgumentArity.ZeroOrOne };
        var version = new Option<string?>("--version") { Description = "The template version (a tag such as 1.2.0 or v1.2.0) [default: the latest]", HelpName = "V" };
        var answers = AnswerOption();
        var command = new Command("new", "Create a project from a versioned template: answers its questions (asked in a terminal, --answer otherwise), renders the files and records .gatehouse/template.yaml for later updates.")
        {
            template,
            destination,
            version,
            answers,
        };
        command.SetAction(parseResult => Run(context, parseResult.GetValue(template)!, parseResult.GetValue(destination), parseResult.GetValue(version), parseResult.GetValue(answers)));
        return command;
    }

    internal static Option<string[]> AnswerOption() => new("--answer")
    {
        Description = "Answer a template question: NAME=VALUE (repeat for several)",
        HelpName = "NAME=VALUE",
    };

    private static int Run(CliContext context, string template, string? destination, string? version, string[]? answerValues)
    {
        var given = TemplateWorkflow.ParseAnswers(answerValues, out var answerProblem);
        if (given is null)
        {
            return context.Fail(ExitCodes.Usage, answerProblem!);
        }

        var target = Path.GetFullPath(destination ?? ".", context.WorkingDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any(e => Path.GetFileName(e) != ".git"))
        {
            return context.Fail(ExitCodes.Failed, $"{Path.GetRelativePath(context.WorkingDirectory, target)} is not empty; 'new' writes only into an empty or new folder [{TemplateCodes.DestinationNotEmpty}]");
        }

        var problems = new List<Diagnostic>();
        try
        {
            using var source = TemplateSource.Open(template, context.WorkingDirectory, problems);
            var chosen = source?.Resolve(version, problems);
            var loaded = chosen is null ? null : source!.Load(chosen, problems);
            if (loaded is null)
            {
                return Failed(context, problems);
            }

            var answers = TemplateAnswers.Resolve(loaded.Definition, new Dictionary<string, string>(), given, TemplateWorkflow.Asker(context), problems);
            var files = problems.Count == 0 ? TemplateWorkflow.Render(loaded, answers, problems) : null;
            if (files is null)
            {
                return Failed(context, problems);
            }

            foreach (var file in files.Values)
            {
                TemplateWorkflow.WriteAtomically(Path.Combine(target, file.Path), file.Content);
            }

            var hashes = files.ToDictionary(f => f.Key, f => TemplateRecord.Hash(f.Value.Content), StringComparer.Ordinal);
            TemplateWorkflow.WriteRecord(target, new TemplateRecord(source!.Location, loaded.Version, answers, hashes));
            context.Out.WriteLine($"Created {Path.GetRelativePath(context.WorkingDirectory, target)} from {loaded.Definition.Name ?? source.Location} {loaded.Version}: {files.Count} files. Update it later with 'gatehouse template update'.");
            return ExitCodes.Ok;
        }
        catch (GitMissingException ex)
        {
            return context.Fail(ExitCodes.Failed, $"{ex.Message} [{TemplateCodes.GitMissing}]");
        }
    }

    internal static int Failed(CliContext context, List<Diagnostic> problems)
    {
        TemplateWorkflow.Print(context, problems);
        return ExitCodes.Failed;
    }
}
