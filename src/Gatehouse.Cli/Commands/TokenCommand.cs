using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse token create|list|revoke</c>: personal tokens for people, deploy tokens for apps.</summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var command = new Command("token", "Manage personal tokens (for people) and deploy tokens (for an app's CI). A token's secret is printed once, when it is created, and stored only as a hash.").With("gatehouse token create --user alice --days 30\ngatehouse token create --app billing --description \"GitHub Actions\"\ngatehouse token list\ngatehouse token revoke tok_3kq9x2m1ab7c");
        command.Subcommands.Add(CreateCreate(context));
        command.Subcommands.Add(CreateList(context));
        command.Subcommands.Add(CreateRevoke(context));
        return command;
    }

    private static Command CreateCreate(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var user = new Option<string?>("--user") { Description = "Create a personal token for this user" };
        var app = new Option<string?>("--app") { Description = "Create a deploy token for this app (it may push and check only this app)" };
        var days = new Option<int?>("--days") { Description = "Days until it expires (server default: 90)" };
        var description = new Option<string?>("--description") { Description = "What it is for" };
        var server = new ServerCommandOptions();
        var command = new Command("create", "Create a token and print its secret once.") { user, app, days, description }
            .With("gatehouse token create --user alice --days 30\ngatehouse token create --app billing --description \"GitHub Actions\"");
        server.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(user) is null) == (r.GetValue(app) is null))
            {
                r.AddError("give exactly one of --user or --app");
            }
        });
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var isUser = parse.GetValue(user) is not null;
            var body = new { kind = isUser ? "personal" : "deploy", subject = parse.GetValue(user) ?? parse.GetValue(app), expiresInDays = parse.GetValue(days), description = parse.GetValue(description) };
            var response = await client.PostAsync("tokens", body, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var r = response.Body!;
            await error.WriteLineAsync($"Created {r["id"]} for {(isUser ? "user" : "app")} {body.subject}, expires {r["expiresAt"]}. The secret below is shown only now:");
            await output.WriteLineAsync(r["secret"]!.GetValue<string>());
            return 0;
        }));
        return command;
    }

    private static Command CreateList(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var server = new ServerCommandOptions();
        var command = new Command("list", "List the tokens you may see (never their secrets): yours, those you created and your apps' deploy tokens; an admin sees all. A creator no longer in the organisation is marked (removed).").With("gatehouse token list");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.GetAsync("tokens", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            // The server lists only what this token may see (ADR 0011); a creator no longer in the organisation is marked.
            var table = new TextTable("ID", "KIND", "SUBJECT", "EXPIRES", "REVOKED", "CREATED BY", "DESCRIPTION", "LAST USED");
            foreach (var t in response.Body!["tokens"]!.AsArray())
            {
                var createdBy = t!["createdBy"]?.ToString() + (t["creatorRemoved"]?.GetValue<bool>() == true ? " (removed)" : string.Empty);
                table.Add(t["id"]!.ToString(), t["subject"]!["kind"]!.ToString(), t["subject"]!["name"]!.ToString(), t["expiresAt"]!.ToString(), t["revokedAt"]?.ToString(), createdBy, t["description"]?.ToString(), t["lastUsedAt"]?.ToString() ?? "never");
            }

            await output.WriteAsync(table.Count == 0 ? "No tokens.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    private static Command CreateRevoke(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var id = new Argument<string>("TOKEN_ID") { Description = "The token id (tok_...), see `gatehouse token list`" };
        var server = new ServerCommandOptions();
        var command = new Command("revoke", "Revoke a token at once.") { id }.With("gatehouse token revoke tok_3kq9x2m1ab7c");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.PostAsync($"tokens/{Uri.EscapeDataString(parse.GetValue(id)!)}/revoke", null, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteLineAsync($"token {parse.GetValue(id)} revoked");
            return 0;
        }));
        return command;
    }
}
