using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse client create|list|revoke|rotate-secret|add-key</c>: OAuth clients, the credentials one app uses
/// in one environment to get access tokens. A secret is printed once, when the client is created.
/// </summary>
internal static class ClientCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("client", "Manage OAuth clients: the credentials an app uses in one environment to get access tokens from /oauth2/token. A client secret is printed once, when it is created, and stored only as a hash.")
            .With("gatehouse client create --app billing --env production\ngatehouse client create --app billing --env production --jwk billing-key.pub.json\ngatehouse client list --app billing\ngatehouse client rotate-secret cl_0f3a9c1e2b7d4a5c6e8f --overlap 48\ngatehouse client revoke cl_0f3a9c1e2b7d4a5c6e8f");
        command.Subcommands.Add(CreateCreate(context));
        command.Subcommands.Add(CreateList(context));
        command.Subcommands.Add(CreateRevoke(context));
        command.Subcommands.Add(CreateRotateSecret(context));
        command.Subcommands.Add(CreateAddKey(context));
        return command;
    }

    private static Command CreateCreate(CliContext context)
    {
        var (output, error) = (context.Out, context.Error);
        var app = new Option<string>("--app") { Description = "The app the client acts as (the token's sub)", Required = true };
        var env = new Option<string>("--env") { Description = "The environment it runs in", Required = true };
        var jwk = new Option<FileInfo?>("--jwk") { Description = "A public key (JWK file): the client authenticates with private_key_jwt and gets no secret" };
        var description = new Option<string?>("--description") { Description = "What it is for" };
        var server = new ServerCommandOptions();
        var command = new Command("create", "Create a client and print its id and secret (once).") { app, env, jwk, description }
            .With("gatehouse client create --app billing --env production --description \"billing API\"");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            JsonNode? key = null;
            if (parse.GetValue(jwk) is { } file)
            {
                try
                {
                    key = JsonNode.Parse(await File.ReadAllTextAsync(file.FullName, ct));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    await error.WriteLineAsync($"gatehouse: cannot read the JWK in {file.FullName}: {e.Message}");
                    return 2;
                }
            }

            var body = new { app = parse.GetValue(app), environment = parse.GetValue(env), description = parse.GetValue(description), authMethod = key is null ? "client_secret" : "private_key_jwt", jwk = key };
            var response = await client.PostAsync("clients", body, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var r = response.Body!;
            await output.WriteLineAsync($"client_id={r["client"]!["id"]}");
            if (r["clientSecret"] is { } secret)
            {
                await error.WriteLineAsync($"Created a client for {body.app} in {body.environment}. The secret below is shown only now:");
                await output.WriteLineAsync($"client_secret={secret}");
            }
            else
            {
                await error.WriteLineAsync($"Created a private_key_jwt client for {body.app} in {body.environment}, key id {r["kid"]}.");
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateList(CliContext context)
    {
        var (output, error) = (context.Out, context.Error);
        var app = new Option<string?>("--app") { Description = "Only the clients of this app" };
        var server = new ServerCommandOptions();
        var command = new Command("list", "List clients (never their secrets).") { app }.With("gatehouse client list --app billing");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var query = parse.GetValue(app) is { } a ? "?app=" + Uri.EscapeDataString(a) : string.Empty;
            var response = await client.GetAsync("clients" + query, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var table = new TextTable("ID", "APP", "ENVIRONMENT", "AUTH", "CREATED BY", "REVOKED", "DESCRIPTION", "LAST USED", "SCOPES LAST ISSUED");
            foreach (var c in response.Body!["clients"]!.AsArray())
            {
                table.Add(c!["id"]!.ToString(), c["app"]!.ToString(), c["environment"]!.ToString(), c["authMethod"]!.ToString(), c["createdBy"]!.ToString(), c["revokedAt"]?.ToString(), c["description"]?.ToString(), c["lastUsedAt"]?.ToString() ?? "never", c["lastScopes"]?.ToString());
            }

            await output.WriteAsync(table.Count == 0 ? "No clients.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    private static Command CreateRevoke(CliContext context)
    {
        var (output, error) = (context.Out, context.Error);
        var id = new Argument<string>("CLIENT_ID") { Description = "The client id (cl_...), see `gatehouse client list`" };
        var server = new ServerCommandOptions();
        var command = new Command("revoke", "Revoke a client: it gets no more tokens.") { id }.With("gatehouse client revoke cl_0f3a9c1e2b7d4a5c6e8f");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.PostIdempotentAsync($"clients/{Uri.EscapeDataString(parse.GetValue(id)!)}/revoke", null, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteLineAsync($"client {parse.GetValue(id)} revoked");
            return 0;
        }));
        return command;
    }

    private static Command CreateRotateSecret(CliContext context)
    {
        var (output, error) = (context.Out, context.Error);
        var id = new Argument<string>("CLIENT_ID") { Description = "The client id (cl_...), see `gatehouse client list`" };
        var overlap = new Option<int>("--overlap") { Description = "Hours the old secret keeps working, 0 to 720 (0: it stops now)", DefaultValueFactory = _ => 24 };
        var server = new ServerCommandOptions();
        var command = new Command("rotate-secret", "Give a client a new secret (printed once); the old one keeps working for --overlap hours so services can switch without downtime.") { id, overlap }
            .With("gatehouse client rotate-secret cl_0f3a9c1e2b7d4a5c6e8f --overlap 48\ngatehouse client rotate-secret cl_0f3a9c1e2b7d4a5c6e8f --overlap 0   # the old secret leaked: stop it now");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.PostAsync($"clients/{Uri.EscapeDataString(parse.GetValue(id)!)}/rotate-secret", new { overlapHours = parse.GetValue(overlap) }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var r = response.Body!;
            await error.WriteLineAsync(r["previousSecretValidUntil"] is { } until
                ? $"New secret for {parse.GetValue(id)}; the old one works until {until}. The secret below is shown only now:"
                : $"New secret for {parse.GetValue(id)}; the old one no longer works. The secret below is shown only now:");
            await output.WriteLineAsync($"client_secret={r["clientSecret"]}");
            return 0;
        }));
        return command;
    }

    private static Command CreateAddKey(CliContext context)
    {
        var (output, error) = (context.Out, context.Error);
        var id = new Argument<string>("CLIENT_ID") { Description = "A private_key_jwt client" };
        var jwk = new Option<FileInfo>("--jwk") { Description = "The public key (JWK file)", Required = true };
        var server = new ServerCommandOptions();
        var command = new Command("add-key", "Register another public key (to rotate keys without downtime).") { id, jwk }
            .With("gatehouse client add-key cl_0f3a9c1e2b7d4a5c6e8f --jwk new-key.pub.json");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            JsonNode? key;
            try
            {
                key = JsonNode.Parse(await File.ReadAllTextAsync(parse.GetValue(jwk)!.FullName, ct));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                await error.WriteLineAsync($"gatehouse: cannot read the JWK: {e.Message}");
                return 2;
            }

            var response = await client.PostIdempotentAsync($"clients/{Uri.EscapeDataString(parse.GetValue(id)!)}/keys", new { jwk = key }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteLineAsync($"kid={response.Body!["kid"]}");
            return 0;
        }));
        return command;
    }
}
