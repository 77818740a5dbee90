using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse audit head</c>: a signed checkpoint of the chain's head on stdout, for the operator
/// to keep outside the database and its backups (ADR 0012).
/// </summary>
internal static class AuditHeadCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var server = new ServerCommandOptions();
        var command = new Command("head", "Print a signed checkpoint of the audit chain's head (JSON). Keep it outside the database; `gatehouse audit verify --checkpoint FILE` later proves nothing up to it changed.")
            .With("gatehouse audit head > audit-checkpoint-$(date +%F).json");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var response = await client.GetAsync("audit/head", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            await output.WriteLineAsync(response.Body!.ToJsonString(CliJson.Options));
            await error.WriteLineAsync($"Checkpoint of event {response.Body["seq"]}. Store it where the database's writers cannot change it; check with `gatehouse audit verify --checkpoint FILE`.");
            return 0;
        }));
        return command;
    }
}
