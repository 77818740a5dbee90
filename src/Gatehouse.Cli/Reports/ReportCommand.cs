using System.CommandLine;
using System.Globalization;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Commands;

namespace Gatehouse.Cli.Reports;

/// <summary>
/// <c>gatehouse report access|history</c>: the auditor's exports (ADR 0030), as the server writes
/// them (JSON, CSV or Markdown), each stating the audit head it was read at.
/// </summary>
internal static class ReportCommand
{
    private const string UsageHint = "\nRun 'gatehouse report --help' for usage.";

    public static Command Create(CliContext context)
    {
        var command = new Command("report", "Reports from the server: for auditors, who holds what in an environment and what changed in a period (each states the audit head it was made from); for the platform, templates and the apps behind.")
            .With("gatehouse report access --env production --format csv --output access.csv\ngatehouse report history --since 2026-01-01 --until 2026-03-31 --format markdown\ngatehouse report templates --format markdown > templates.md\ngatehouse audit verify --head 42:9f86d081884c7d65…");
        command.Subcommands.Add(CreateAccess(context));
        command.Subcommands.Add(CreateHistory(context));
        command.Subcommands.Add(Templates.ReportTemplatesCommand.Create(context));
        return command;
    }

    private static Command CreateAccess(CliContext context)
    {
        var env = new Option<string>("--env") { Description = "The environment the report covers", Required = true };
        var (format, output) = (Format(), Output());
        var server = new ServerCommandOptions();
        var command = new Command("access", "Every active grant in an environment: consumer, provider, scope, reason, requested by, approved by and when, expires, last used, unused, review status.") { env, format, output }
            .With("gatehouse report access --env production\ngatehouse report access --env production --format csv --output access.csv");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, client =>
            FetchAsync(context, client, $"reports/access?env={Uri.EscapeDataString(parse.GetValue(env)!)}&format={parse.GetValue(format)}", parse.GetValue(output), ct)));
        return command;
    }

    private static Command CreateHistory(CliContext context)
    {
        var since = new Option<string?>("--since") { Description = $"From this time: {AuditTimeOption.Help}", HelpName = "TIME", Required = true };
        var until = new Option<string?>("--until") { Description = "Before this time (a date alone includes that day); default now", HelpName = "TIME" };
        var (format, output) = (Format(), Output());
        var server = new ServerCommandOptions();
        var command = new Command("history", "The changes in a period, from the audit log: requests, votes, grants, revocations, tokens, clients.") { since, until, format, output }
            .With("gatehouse report history --since 2026-01-01 --until 2026-03-31\ngatehouse report history --since 30d --format csv --output changes.csv");
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = $"reports/history?format={parse.GetValue(format)}";
            foreach (var (option, name) in new[] { (since, "since"), (until, "until") })
            {
                if (parse.GetValue(option) is not { } text)
                {
                    continue;
                }

                if (!AuditTimeOption.TryParse(option.Name, text, now, out var at, out var problem))
                {
                    return context.Fail(ExitCodes.Usage, problem! + UsageHint);
                }

                query += $"&{name}={Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}";
            }

            return await server.RunAsync(parse, context.Error, client => FetchAsync(context, client, query, parse.GetValue(output), ct));
        });
        return command;
    }

    private static Option<string> Format()
    {
        var format = new Option<string>("--format") { Description = "json, csv (RFC 4180) or markdown", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv", "markdown");
        return format;
    }

    private static Option<string?> Output() => new("--output", "-o") { Description = "Write the report to this file instead of standard output", HelpName = "FILE" };

    private static async Task<int> FetchAsync(CliContext context, GatehouseClient client, string query, string? file, CancellationToken ct)
    {
        var response = await client.GetAsync(query, ct);
        if (!response.Ok)
        {
            return await ServerCommandOptions.FailAsync(context.Error, response);
        }

        var text = response.Body is { } json ? json.ToJsonString(CliJson.Options) + "\n" : response.Text ?? "";
        if (file is null)
        {
            await context.Out.WriteAsync(text);
        }
        else
        {
            try
            {
                await File.WriteAllTextAsync(Path.GetFullPath(file, context.WorkingDirectory), text, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return context.Fail(ExitCodes.Failed, $"cannot write the report to {file}: {e.Message}");
            }
        }

        await context.Error.WriteLineAsync($"Made at audit head {response.AuditHead}. Prove later that the log still holds it: gatehouse audit verify --head {response.AuditHead}");
        return 0;
    }
}
