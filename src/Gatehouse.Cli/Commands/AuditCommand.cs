using System.CommandLine;
using System.Globalization;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Output;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse audit</c>: the audit log, newest first, with <c>verify</c> and <c>head</c> below it.</summary>
internal static class AuditCommand
{
    private const int MaxLimit = 1000;

    // Said the same way as the parser's own refusals of a typed value (TypedValueParsers).
    private const string UsageHint = "\nRun 'gatehouse audit --help' for usage.";

    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var app = new Option<string?>("--app") { Description = "Only events about this app (as consumer or provider)" };
        var actor = new Option<string?>("--actor") { Description = "Only events by this actor (user:alice, app:billing)" };
        var action = new Option<string?>("--action") { Description = "Only this action (request.approved, grant.revoked, ...)" };
        var since = new Option<string?>("--since") { Description = $"Only events at or after this time: {AuditTimeOption.Help}", HelpName = "TIME" };
        var until = new Option<string?>("--until") { Description = "Only events before this time (a date alone includes that day)", HelpName = "TIME" };
        var before = new Option<long?>("--before") { Description = "Only events before this seq (to page back)", HelpName = "SEQ" };
        var limit = new Option<int>("--limit") { Description = $"At most this many events, newest first (default 50, at most {MaxLimit})", DefaultValueFactory = _ => 50 };
        var json = new TextOrJsonFormat();
        var server = new ServerCommandOptions();
        var command = new Command("audit", "Read the audit log, newest first: every change with actor, time, subject and comment.") { app, actor, action, since, until, before, limit, json.Format, json.Json }
            .With("gatehouse audit --app billing --limit 20\ngatehouse audit --action grant.revoked --since 2026-11-01 --until 2026-11-30\ngatehouse audit --since 24h\ngatehouse audit verify --checkpoint audit-checkpoint.json\ngatehouse audit head > audit-checkpoint.json");
        server.AddTo(command);
        command.Subcommands.Add(AuditVerifyCommand.Create(context));
        command.Subcommands.Add(AuditHeadCommand.Create(context));
        command.SetAction(async (parse, ct) =>
        {
            var query = new List<string> { "order=newest" };
            var now = DateTimeOffset.UtcNow;
            DateTimeOffset? from = null, to = null;
            foreach (var (option, bound) in new[] { (since, "since"), (until, "until") })
            {
                if (parse.GetValue(option) is not { } text)
                {
                    continue;
                }

                if (!AuditTimeOption.TryParse(option.Name, text, now, out var at, out var problem))
                {
                    return context.Fail(ExitCodes.Usage, problem! + UsageHint);
                }

                if (bound == "since")
                {
                    from = at;
                }
                else
                {
                    to = at;
                }

                query.Add($"{bound}={Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}");
            }

            if (from >= to)
            {
                return context.Fail(ExitCodes.Usage, "--since must be before --until" + UsageHint);
            }

            var count = parse.GetValue(limit);
            if (count is < 1 or > MaxLimit)
            {
                return context.Fail(ExitCodes.Usage, $"--limit must be from 1 to {MaxLimit}, not {count}" + UsageHint);
            }

            query.Add($"limit={count}");
            if (parse.GetValue(before) is { } seq)
            {
                query.Add($"before={seq}");
            }

            if (parse.GetValue(app) is { Length: > 0 } a) query.Add($"app={Uri.EscapeDataString(a)}");
            if (parse.GetValue(actor) is { Length: > 0 } who) query.Add($"actor={Uri.EscapeDataString(who)}");
            if (parse.GetValue(action) is { Length: > 0 } what) query.Add($"action={Uri.EscapeDataString(what)}");
            return await server.RunAsync(parse, error, async client =>
            {
                var response = await client.GetAsync("audit?" + string.Join('&', query), ct);
                if (!response.Ok)
                {
                    return await ServerCommandOptions.FailAsync(error, response);
                }

                var events = response.Body!["events"]!.AsArray();
                if (json.IsJson(parse))
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
                if (events.Count == count && events[^1]!["seq"]!.GetValue<long>() > 1)
                {
                    await output.WriteLineAsync($"The newest {count} events; older ones: gatehouse audit --before {events[^1]!["seq"]} (with the same filters).");
                }

                return 0;
            });
        });
        return command;
    }
}
