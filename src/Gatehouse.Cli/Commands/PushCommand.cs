using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse push</c> and <c>gatehouse plan</c>: publish manifests, or show what publishing would change.</summary>
internal static class PushCommand
{
    public static Command CreatePush(CliContext context) => Create("push", apply: true, context,
        "Publish manifests (and the organisation file, by an admin) to the server. Validates locally first; the server validates again and reconciles: new needs file requests, removed needs revoke grants. Pushing the same files twice changes nothing.").With("gatehouse push services/billing\nGATEHOUSE_TOKEN=$DEPLOY_TOKEN gatehouse push .");

    public static Command CreatePlan(CliContext context) => Create("plan", apply: false, context,
        "Show what `push` would change, without changing anything. --format markdown writes a pull-request comment.").With("gatehouse plan .\ngatehouse plan --format markdown . > plan.md");

    private static Command Create(string name, bool apply, CliContext context, string description)
    {
        var output = context.Out;
        var error = context.Error;
        var paths = PathArgument.Create();
        var format = new Option<string>("--format") { Description = "Output format: text, markdown or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var server = new ServerCommandOptions(acceptsCiToken: true);
        var command = new Command(name, description) { paths, format };
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            if (PathArgument.Problem(context, given) is { } problem)
            {
                return context.Fail(ExitCodes.Usage, problem);
            }

            var (body, diagnostics) = PushPayload.Build(given, context.WorkingDirectory);
            if (body is null)
            {
                foreach (var d in diagnostics)
                {
                    await error.WriteLineAsync(d.ToString());
                }

                await error.WriteLineAsync($"gatehouse: error: {diagnostics.Count(d => d.Severity == Severity.Error)} error(s); nothing was sent");
                return 1;
            }

            var response = apply ? await client.PostIdempotentAsync("push", body, ct) : await client.PostReadAsync("plan", body, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteAsync(PlanFormatter.Format(response.Body!.AsObject(), parse.GetValue(format)!, apply));
            return 0;
        }));
        return command;
    }
}
