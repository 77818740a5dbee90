using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
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
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var server = new ServerCommandOptions();
        var command = new Command("check", "Check that every access the manifests need is granted in an environment: the CI gate. Exit 0 when all is granted; exit 1 listing each missing access with its state (not requested, pending, denied, revoked), who can approve it and where.") { paths, env, format }.With("gatehouse check --env production services/billing\ngatehouse check --env staging --format json .");
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
            if (parse.GetValue(format) == "json")
            {
                await output.WriteLineAsync(response.Body.ToJsonString(CliJson.Options));
                return granted ? 0 : 1;
            }

            await WriteTextAsync(output, client.BaseUrl, environment, response.Body["results"]!.AsArray());
            return granted ? 0 : 1;
        }));
        return command;
    }

    private static async Task WriteTextAsync(TextWriter output, Uri server, string environment, JsonArray results)
    {
        var missing = results.Where(r => r!["state"]!.GetValue<string>() != "granted").ToList();
        if (missing.Count == 0)
        {
            await output.WriteLineAsync($"OK: all {results.Count} needed access(es) are granted in {environment}.");
            return;
        }

        foreach (var r in missing)
        {
            var scope = $"{r!["provider"]}:{r["scope"]}";
            var approvers = string.Join(", ", r["approvers"]!.AsArray().Select(a => a!.GetValue<string>()));
            var where = r["requestId"] is { } id ? $" ({new Uri(server, $"requests/{id}")})" : string.Empty;
            var hint = r["state"]!.GetValue<string>() switch
            {
                "not-requested" => "run `gatehouse push` to request it",
                "pending" => $"waiting for approval by {approvers}",
                "denied" => $"denied; change the reason in the manifest to ask again, or talk to {approvers}",
                "revoked" => $"revoked; talk to {approvers}",
                _ => string.Empty,
            };
            await output.WriteLineAsync($"MISSING {r["consumer"]} -> {scope} in {environment}: {r["state"]}{where}; {hint}");
        }

        await output.WriteLineAsync($"{missing.Count} of {results.Count} needed access(es) are not granted in {environment}.");
    }
}
