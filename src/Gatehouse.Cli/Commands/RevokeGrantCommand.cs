using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse revoke</c>: an owner or admin withdraws an active grant.</summary>
internal static class RevokeGrantCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var id = new Argument<long>("GRANT_ID") { Description = "The grant id (see `gatehouse who-can`)" };
        var comment = new Option<string>("--comment", "-m") { Description = "Why (required; recorded in the audit log)", Required = true };
        var server = new ServerCommandOptions();
        var command = new Command("revoke", "Revoke an active grant. Tokens issued afterwards no longer carry the scope, and `gatehouse check` reports it as revoked.") { id, comment }.With("gatehouse revoke 17 --comment \"Incident 2026-114: key leaked\"");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.PostIdempotentAsync($"grants/{parse.GetValue(id)}/revoke", new { comment = parse.GetValue(comment) }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var key = response.Body!["key"]!;
            await output.WriteLineAsync($"grant {parse.GetValue(id)} revoked: {key["consumer"]} may no longer use {key["provider"]}:{key["scope"]} in {key["environment"]}");
            return 0;
        }));
        return command;
    }
}
