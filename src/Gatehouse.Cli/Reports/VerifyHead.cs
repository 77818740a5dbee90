using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Reports;

/// <summary>
/// <c>gatehouse audit verify --head SEQ:HASH</c>: the chain verifies and still holds, unchanged,
/// every event up to the head an export states (ADR 0030). Exit 1 when it does not.
/// </summary>
internal static class VerifyHead
{
    public const string Description = "Also prove the log still holds, unchanged, every event up to this audit head (SEQ:HASH, as a report states it)";

    public static async Task<int> RunAsync(CliContext context, GatehouseClient client, string head, CancellationToken ct)
    {
        var response = await client.GetAsync($"reports/verify?head={Uri.EscapeDataString(head.Trim())}", ct);
        if (!response.Ok)
        {
            return await ServerCommandOptions.FailAsync(context.Error, response);
        }

        var r = response.Body!;
        if (!r["valid"]!.GetValue<bool>())
        {
            await context.Out.WriteLineAsync($"BROKEN ({r["code"]}): {r["problem"]}");
            return ExitCodes.Failed;
        }

        await context.Out.WriteLineAsync($"OK: the audit chain of {r["eventCount"]} events verifies, and holds the head {head.Trim()} the export was made from.");
        return ExitCodes.Ok;
    }
}
