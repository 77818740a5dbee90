using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Output;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse check</c>: the CI gate. Exit 0 when every need is granted in the environment.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var paths = PathArgument.Create();
        var env = new Option<string>("--env") { Description = "The environment being deployed to", Required = true, HelpName = "ENV" };
        var format = new Option<string>("--format")
        {
            Description = "Output: text, json, github (an annotation on the manifest line of each missing access), junit (a test report: one case per needed access) or markdown (a pull-request comment or job summary)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "github", "junit", "markdown");
        var server = new ServerCommandOptions(acceptsCiToken: true);
        var command = new Command("check", "Check that every access the manifests need is granted in an environment: the CI gate. Exit 0 when all is granted; exit 1 listing each missing access with its state (not requested, pending, denied, revoked), who can approve it and where.") { paths, env, format }.With("gatehouse check --env production services/billing\ngatehouse check --env staging --format json .\ngatehouse check --env production --format github .\ngatehouse check --env production --format junit . > gatehouse-junit.xml\ngatehouse check --env production --format markdown . >> \"$GITHUB_STEP_SUMMARY\"");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var environment = parse.GetValue(env)!;
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            if (PathArgument.Problem(context, given) is { } problem)
            {
                return context.Fail(ExitCodes.Usage, problem);
            }

            var workspace = ManifestWorkspace.Load(given, context.WorkingDirectory);
            if (workspace.Diagnostics.Any(d => d.Severity == Severity.Error))
            {
                foreach (var d in workspace.Diagnostics)
                {
                    await error.WriteLineAsync(d.ToString());
                }

                return 1;
            }

            if (workspace.Organisation is { } org && org.Environments.All(e => e.Name != environment))
            {
                await error.WriteLineAsync($"gatehouse: error: unknown environment `{environment}`; the organisation defines {string.Join(", ", org.Environments.Select(e => e.Name))}");
                return 2;
            }

            var needs = workspace.Manifests
                .SelectMany(m => m.Needs.Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(environment))
                    .SelectMany(n => n.Scopes.Select(s => new { consumer = m.App, provider = n.App, scope = s })))
                .ToList();
            var response = await client.PostReadAsync("check", new { environment, needs }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var granted = response.Body!["granted"]!.GetValue<bool>();
            var chosen = parse.GetValue(format);
            if (chosen == "json")
            {
                await output.WriteLineAsync(response.Body.ToJsonString(CliJson.Options));
                return granted ? 0 : 1;
            }

            var locations = NeedLocations(workspace, environment);
            var results = response.Body["results"]!.AsArray()
                .Select(r => CheckedAccess.From(r!, (c, p, s) => locations.GetValueOrDefault((c, p, s)))).ToList();
            var report = new CheckReport(client.BaseUrl, environment, results);
            await output.WriteAsync(chosen switch
            {
                "github" => report.GitHub(),
                "junit" => report.JUnit(),
                "markdown" => report.Markdown(),
                _ => report.Text(),
            });
            return granted ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Where each needed scope is written: the line a GitHub annotation or JUnit case points to.</summary>
    private static Dictionary<(string, string, string), SourceLocation> NeedLocations(ManifestWorkspace workspace, string environment)
    {
        var locations = new Dictionary<(string, string, string), SourceLocation>();
        foreach (var manifest in workspace.Manifests)
        {
            foreach (var need in manifest.Needs.Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(environment)))
            {
                for (var i = 0; i < need.Scopes.Count; i++)
                {
                    locations.TryAdd((manifest.App, need.App, need.Scopes[i]), i < need.ScopeLocations.Count ? need.ScopeLocations[i] : need.Location);
                }
            }
        }

        return locations;
    }
}
