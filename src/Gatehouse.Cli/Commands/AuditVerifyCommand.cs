using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse audit verify [--checkpoint FILE]</c>: recompute the keyed hash chain on the server;
/// with a checkpoint, also prove that nothing up to it changed.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var checkpointFile = new Option<string?>("--checkpoint") { Description = "Also prove the events up to this checkpoint (from `gatehouse audit head`) are unchanged", HelpName = "FILE" };
        var head = new Option<string?>("--head") { Description = Reports.VerifyHead.Description, HelpName = "SEQ:HASH" };
        var server = new ServerCommandOptions();
        var command = new Command("verify", "Recompute the audit log's hash chain; exit 1 naming the first broken or changed event.") { checkpointFile, head }
            .With("gatehouse audit verify\ngatehouse audit verify --checkpoint /secure/audit-checkpoint.json\ngatehouse audit verify --head 42:9f86d081884c7d65…");
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(head) is { } value)
            {
                return await server.RunAsync(parse, error, client => Reports.VerifyHead.RunAsync(context, client, value, ct));
            }

            JsonNode? checkpoint = null;
            if (parse.GetValue(checkpointFile) is { } file)
            {
                var path = Path.GetFullPath(file, context.WorkingDirectory);
                try
                {
                    checkpoint = JsonNode.Parse(await File.ReadAllTextAsync(path, ct));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return context.Fail(ExitCodes.Usage, $"cannot read the checkpoint {file}: {e.Message}");
                }
                catch (JsonException e)
                {
                    return context.Fail(ExitCodes.Usage, $"{file}:{e.LineNumber + 1}: not JSON; pass the file `gatehouse audit head` printed");
                }
            }

            return await server.RunAsync(parse, error, async client =>
            {
                var response = checkpoint is null
                    ? await client.GetAsync("audit/verify", ct)
                    : await client.PostAsync("audit/verify", checkpoint, ct);
                if (!response.Ok)
                {
                    return await ServerCommandOptions.FailAsync(error, response);
                }

                var r = response.Body!;
                if (!r["valid"]!.GetValue<bool>())
                {
                    await output.WriteLineAsync($"BROKEN: the audit chain breaks at event {r["firstBrokenSeq"]}: {r["problem"]}");
                    return 1;
                }

                await output.WriteLineAsync(checkpoint is null
                    ? $"OK: the audit chain of {r["eventCount"]} events verifies."
                    : $"OK: the audit chain of {r["eventCount"]} events verifies, and events 1 to {checkpoint["seq"]} are those the checkpoint of {checkpoint["at"]} recorded.");
                return 0;
            });
        });
        return command;
    }
}
