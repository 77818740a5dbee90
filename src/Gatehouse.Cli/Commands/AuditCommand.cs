using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse audit</c> (read the log) and <c>gatehouse audit verify</c> (recompute the hash chain).</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var app = new Option<string?>("--app") { Description = "Only events about this app" };
        var actor = new Option<string?>("--actor") { Description = "Only events by this actor (user:alice, app:billing)" };
        var action = new Option<string?>("--action") { Description = "Only this action (request.approved, grant.revoked, ...)" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only events at or after this time (ISO 8601)" };
        var limit = new Option<int>("--limit") { Description = "At most this many events (default 50)", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var server = new ServerCommandOptions();
        var command = new Command("audit", "Read the audit log: every change with actor, time, subject and comment.") { app, actor, action, since, limit, json }.With("gatehouse audit --app billing --limit 20\ngatehouse audit --action grant.revoked --since 2026-11-01\ngatehouse audit verify");
        server.AddTo(command);
        command.Subcommands.Add(CreateVerify(context));
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var query = new List<string> { $"limit={parse.GetValue(limit)}" };
            if (parse.GetValue(app) is { Length: > 0 } a) query.Add($"app={Uri.EscapeDataString(a)}");
            if (parse.GetValue(actor) is { Length: > 0 } who) query.Add($"actor={Uri.EscapeDataString(who)}");
            if (parse.GetValue(action) is { Length: > 0 } what) query.Add($"action={Uri.EscapeDataString(what)}");
            if (parse.GetValue(since) is { } when) query.Add($"since={Uri.EscapeDataString(when.ToString("O"))}");
            var response = await client.GetAsync("audit?" + string.Join('&', query), ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var events = response.Body!["events"]!.AsArray();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(events.ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT", "COMMENT");
            foreach (var e in events)
            {
                table.Add(e!["seq"]!.ToString(), e["at"]!.ToString(), e["actor"]!.ToString(), e["action"]!.ToString(), e["subject"]!.ToString(), e["comment"]?.ToString());
            }

            await output.WriteAsync(table.Count == 0 ? "No events.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    private static Command CreateVerify(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var server = new ServerCommandOptions();
        var command = new Command("verify", "Recompute the audit log's hash chain; exit 1 naming the first broken link.").With("gatehouse audit verify");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.GetAsync("audit/verify", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var r = response.Body!;
            if (r["valid"]!.GetValue<bool>())
            {
                await output.WriteLineAsync($"OK: the audit chain of {r["eventCount"]} events verifies.");
                return 0;
            }

            await output.WriteLineAsync($"BROKEN: the audit chain breaks at event {r["firstBrokenSeq"]}: {r["problem"]}");
            return 1;
        }));
        return command;
    }
}
