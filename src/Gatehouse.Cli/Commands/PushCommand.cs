using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse push</c> and <c>gatehouse plan</c>: publish manifests, or show what publishing would change.</summary>
internal static class PushCommand
{
    /// <summary>Enough to read in a terminal or a pull-request comment; the summary counts the rest (ADR 0038).</summary>
    public const int DefaultListed = 100;

    public const int MaxListed = 100_000;

    /// <summary>A push of a million grants takes about two minutes on a small server; ten leave room for a slower one.</summary>
    public const int DefaultTimeoutSeconds = 600;

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
        var changes = new Option<int>("--changes")
        {
            Description = $"How many changes to list; every change is counted per kind either way (default {DefaultListed}, at most {MaxListed})",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultListed,
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = $"Seconds to wait for the server's answer; a whole organisation can take minutes (default {DefaultTimeoutSeconds}; 0: no limit)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
        };
        var server = new ServerCommandOptions(acceptsCiToken: true);
        var command = new Command(name, description) { paths, format, changes, timeout };
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var listed = parse.GetValue(changes);
            var seconds = parse.GetValue(timeout);
            if (listed is < 0 or > MaxListed || seconds < 0)
            {
                return context.Fail(ExitCodes.Usage, listed is < 0 or > MaxListed
                    ? $"--changes must be a whole number from 0 to {MaxListed}, not {listed}"
                    : $"--timeout must be a number of seconds, 0 or more (0: no limit), not {seconds}");
            }

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

            client.Timeout = seconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
            client.TimeoutAdvice = apply
                ? "a push is applied whole or not at all: if the server had not finished, it rolls back when the connection closes (`gatehouse plan` shows what is left); wait longer with --timeout SECONDS"
                : "wait longer with --timeout SECONDS";
            var json = JsonBody.From(body);
            var path = string.Create(CultureInfo.InvariantCulture, $"{name}?changes={listed}");
            var sent = apply ? client.PostIdempotentAsync(path, json, ct) : client.PostReadAsync(path, json, ct);
            var response = await PushProgress.WaitAsync(sent, json.Utf8.Length, name, error, ct);
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
