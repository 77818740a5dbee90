using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse review open|list|show|keep|revoke</c>: access reviews (ADR 0032).</summary>
internal static class ReviewCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("review", "Access reviews (recertification): an admin opens one, the owners of each providing app keep or revoke every grant of theirs before the deadline, and the review's policy decides what happens to the grants nobody confirmed.")
            .With("gatehouse review open --env production --deadline-days 14 --unconfirmed revoke\ngatehouse review list\ngatehouse review show 3 --mine\ngatehouse review keep 3 41 42 --comment \"still used by invoicing\"\ngatehouse review revoke 3 43 --comment \"the export replaced it\"");
        command.Subcommands.Add(CreateOpen(context));
        command.Subcommands.Add(CreateList(context));
        command.Subcommands.Add(CreateShow(context));
        command.Subcommands.Add(CreateAnswer(context, "keep", "Keep grants in a review: their consumers still need them."));
        command.Subcommands.Add(CreateAnswer(context, "revoke", "Revoke grants in a review: they end at once (--comment is required)."));
        return command;
    }

    private static Command CreateOpen(CliContext context)
    {
        var env = new Option<string?>("--env") { Description = "Review the grants of this environment (default: every environment)" };
        var days = new Option<int?>("--deadline-days") { Description = "Days the owners have to answer (1 to 365; default 14)" };
        var unconfirmed = new Option<string?>("--unconfirmed") { Description = "At the deadline, the grants nobody confirmed are: report (default: they stay, listed) or revoke" };
        unconfirmed.AcceptOnlyFromAmong("report", "revoke");
        var server = new ServerCommandOptions();
        var command = new Command("open", "Open a review of every grant active now (admins only).") { env, days, unconfirmed }
            .With("gatehouse review open --env production --unconfirmed revoke");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var response = await client.PostAsync("reviews", new { environment = parse.GetValue(env), deadlineDays = parse.GetValue(days), unconfirmed = parse.GetValue(unconfirmed) }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(context.Error, response);
            }

            var r = response.Body!;
            await context.Out.WriteLineAsync($"review {r["id"]}: {r["total"]} grant(s) in {r["environment"]}, due {r["deadline"]}; unconfirmed grants are {(r["unconfirmed"]!.ToString() == "revoke" ? "revoked" : "reported")} then.");
            return 0;
        }));
        return command;
    }

    private static Command CreateList(CliContext context)
    {
        var open = new Option<bool>("--open") { Description = "Only reviews still open" };
        var server = new ServerCommandOptions();
        var command = new Command("list", "List reviews with their progress.") { open }.With("gatehouse review list --open");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var response = await client.GetAsync(parse.GetValue(open) ? "reviews?open=true" : "reviews", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(context.Error, response);
            }

            var table = new TextTable("ID", "ENV", "DEADLINE", "STATE", "KEPT", "REVOKED", "WAITING", "UNCONFIRMED");
            foreach (var r in response.Body!["reviews"]!.AsArray())
            {
                table.Add(r!["id"]!.ToString(), r["environment"]!.ToString(), r["deadline"]!.ToString(), r["open"]!.GetValue<bool>() ? "open" : "closed",
                    r["kept"]!.ToString(), r["revoked"]!.ToString(), r["waiting"]!.ToString(), r["unconfirmed"]!.ToString());
            }

            await context.Out.WriteAsync(table.Count == 0 ? "No reviews.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "The review id (see `gatehouse review list`)" };
        var mine = new Option<bool>("--mine") { Description = "Only the grants of apps you own (the ones you answer for)" };
        var server = new ServerCommandOptions();
        var command = new Command("show", "Show a review's grants and their answers.") { id, mine }.With("gatehouse review show 3 --mine");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var response = await client.GetAsync($"reviews/{parse.GetValue(id)}{(parse.GetValue(mine) ? "?mine=true" : string.Empty)}", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(context.Error, response);
            }

            var r = response.Body!;
            await context.Out.WriteLineAsync($"review {r["id"]} of {r["environment"]}, due {r["deadline"]} ({(r["open"]!.GetValue<bool>() ? "open" : "closed")}): {r["kept"]} kept, {r["revoked"]} revoked, {r["waiting"]} waiting of {r["total"]}");
            var table = new TextTable("GRANT", "CONSUMER", "ACCESS", "ENV", "ANSWER", "BY", "COMMENT");
            foreach (var item in r["items"]!.AsArray())
            {
                var key = item!["key"]!;
                table.Add(item["grantId"]!.ToString(), key["consumer"]!.ToString(), $"{key["provider"]}:{key["scope"]}", key["environment"]!.ToString(),
                    Answer(item), item["decidedBy"]?.ToString(), item["comment"]?.ToString());
            }

            await context.Out.WriteAsync(table.Count == 0 ? "No grants for you to answer in this review.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    private static string Answer(JsonNode item) => item["decision"]?.ToString() ?? item["outcome"]?.ToString() ?? "waiting";

    private static Command CreateAnswer(CliContext context, string verb, string description)
    {
        var id = new Argument<long>("ID") { Description = "The review id" };
        var grants = new Argument<long[]>("GRANT") { Description = "One or more grant ids of the review", Arity = ArgumentArity.OneOrMore };
        var comment = new Option<string?>("--comment", "-m") { Description = verb == "revoke" ? "Why (required)" : "Why (optional)", Required = verb == "revoke" };
        var server = new ServerCommandOptions();
        var command = new Command(verb, description) { id, grants, comment }.With($"gatehouse review {verb} 3 41 42 --comment \"...\"");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var failed = 0;
            foreach (var grant in parse.GetValue(grants)!)
            {
                var response = await client.PostIdempotentAsync($"reviews/{parse.GetValue(id)}/grants/{grant}", new { decision = verb, comment = parse.GetValue(comment) }, ct);
                if (!response.Ok)
                {
                    failed = await ServerCommandOptions.FailAsync(context.Error, response);
                    continue;
                }

                var key = response.Body!["key"]!;
                await context.Out.WriteLineAsync($"grant {grant}: {key["consumer"]} -> {key["provider"]}:{key["scope"]} in {key["environment"]} {(verb == "keep" ? "kept" : "revoked")}");
            }

            return failed;
        }));
        return command;
    }
}
