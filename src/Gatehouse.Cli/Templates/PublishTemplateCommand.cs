using System.CommandLine;
using Gatehouse.Cli.Client;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>
/// <c>gatehouse template publish SOURCE</c>: tells the server a template's versions (its semver
/// tags) and migration notes, so the platform can see how far apps are behind (ADR 0029). Run by
/// an admin, typically in the template repository's CI after tagging a release.
/// </summary>
internal static class PublishTemplateCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("SOURCE") { Description = "The template: the git URL (or path) projects pass to 'gatehouse new'" };
        var name = new Option<string?>("--name") { Description = "The template's name [default: name in the latest version's template.yaml]", HelpName = "NAME" };
        var server = new ServerCommandOptions();
        var command = new Command("publish", "Publish a template's versions (its semver tags) and migration notes (from the latest version's template.yaml) to the server, so `report templates` and the portal show which apps are behind. An admin's token.")
        {
            source, name,
        };
        server.AddTo(command);
        command.With("""
            gatehouse template publish https://git.example.com/platform/aspnet-service.git
            gatehouse template publish . --name aspnet-service   # in the template's own CI, after git tag
            """);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var problems = new List<Diagnostic>();
            object? body;
            try
            {
                body = Body(parse.GetValue(source)!, parse.GetValue(name), context.WorkingDirectory, problems);
            }
            catch (GitMissingException ex)
            {
                return context.Fail(ExitCodes.Failed, $"{ex.Message} [{TemplateCodes.GitMissing}]");
            }

            if (body is null)
            {
                TemplateWorkflow.Print(context, problems);
                return ExitCodes.Failed;
            }

            var response = await client.PostIdempotentAsync("templates", body, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(context.Error, response);
            }

            var result = response.Body!;
            await context.Out.WriteLineAsync($"Template {result["name"]}: {result["versions"]} versions, {result["outcome"]}.");
            return 0;
        }));
        return command;
    }

    private static object? Body(string given, string? name, string workingDirectory, List<Diagnostic> problems)
    {
        using var template = TemplateSource.Open(given, workingDirectory, problems);
        if (template is null || template.Resolve(null, problems) is not { } latest || template.Load(latest, problems) is not { } version)
        {
            return null;
        }

        name ??= version.Definition.Name;
        if (name is null)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.PublishFieldInvalid, SourceLocation.WholeFile($"{version.Tag}:{TemplateDefinition.FileName}"),
                "the template has no name; add 'name:' to template.yaml or pass --name"));
            return null;
        }

        var notes = version.Definition.Migrations.ToDictionary(n => n.Key, n => n.Value);
        return new
        {
            name,
            source = template.Location,
            versions = template.Versions.Select(v => new { version = v.ToString(), migrationNote = notes.GetValueOrDefault(v) }).ToList(),
        };
    }
}
