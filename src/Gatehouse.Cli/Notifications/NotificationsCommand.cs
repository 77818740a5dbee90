using System.CommandLine;
using System.Globalization;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Notifications;

/// <summary><c>gatehouse notifications</c>: dead letters (deliveries that ran out of attempts) and their redelivery, for admins (ADR 0019).</summary>
internal static class NotificationsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("notifications", "Notification deliveries that ran out of attempts (dead letters), and their redelivery. Admins only.");
        command.Subcommands.Add(DeadLetters(context));
        command.Subcommands.Add(Redeliver(context));
        return command;
    }

    private static Command DeadLetters(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (default 100, at most 1000)", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var server = new ServerCommandOptions();
        var command = new Command("dead-letters", "List dead letters: deliveries given up on after the retry limit, with their last error.") { limit, json }
            .With("gatehouse notifications dead-letters\ngatehouse notifications dead-letters --json");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"notifications/dead-letters?limit={parse.GetValue(limit)}"), ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var body = response.Body!;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body.ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("ID", "TARGET", "EVENT", "SUBJECT", "ATTEMPTS", "FAILED", "LAST ERROR");
            foreach (var d in body["deadLetters"]!.AsArray())
            {
                var failed = d!["failedAt"]?.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";
                table.Add(d["id"]!.ToString(), d["target"]!.ToString(), d["eventType"]!.ToString(), d["subject"]!.ToString(), d["attempts"]!.ToString(), failed, d["lastError"]?.ToString() ?? "");
            }

            await output.WriteAsync(table.Count == 0 ? "No dead letters.\n" : table.ToString());
            await output.WriteLineAsync($"{body["pending"]} pending, {body["delivered"]} delivered, {body["dead"]} dead");
            return 0;
        }));
        return command;
    }

    private static Command Redeliver(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var id = new Argument<string>("ID") { Description = "The dead letter's id (msg_…, see `gatehouse notifications dead-letters`)" };
        var server = new ServerCommandOptions();
        var command = new Command("redeliver", "Queue a dead letter again, due now, with its attempts reset and the same webhook-id (receivers drop it if they had it).") { id }
            .With("gatehouse notifications redeliver msg_0193a5c2e4b87d3f9a1c2b3d4e5f6071");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.PostIdempotentAsync($"notifications/dead-letters/{Uri.EscapeDataString(parse.GetValue(id)!)}/redeliver", new { }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteLineAsync($"{parse.GetValue(id)} queued for delivery");
            return 0;
        }));
        return command;
    }
}
