using System.CommandLine;
using System.Globalization;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse expiring</c>: live grants whose end is near, so owners renew them before they lapse (ADR 0023).</summary>
internal static class ListExpiringGrantsCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var within = new Option<int>("--within") { Description = "Days ahead to look (default 14, at most 3650)", DefaultValueFactory = _ => 14 };
        var env = new Option<string?>("--env") { Description = "Only this environment" };
        var app = new Option<string?>("--provider") { Description = "Only grants of this app's scopes" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var server = new ServerCommandOptions();
        var command = new Command("expiring", "List active grants that end within some days, soonest first. A grant ends at its scope's or environment's maxGrantDays, or its need's until; a new approval renews it.") { within, env, app, json }
            .With("gatehouse expiring\ngatehouse expiring --within 30 --env production\ngatehouse expiring --provider payments --json");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var days = parse.GetValue(within);
            if (days is < 0 or > 3650)
            {
                return context.Fail(ExitCodes.Usage, $"--within {days} is not a number of days from 0 to 3650");
            }

            var query = string.Create(CultureInfo.InvariantCulture, $"grants?endingWithinDays={days}");
            if (parse.GetValue(env) is { Length: > 0 } e)
            {
                query += $"&env={Uri.EscapeDataString(e)}";
            }

            if (parse.GetValue(app) is { Length: > 0 } p)
            {
                query += $"&provider={Uri.EscapeDataString(p)}";
            }

            var response = await client.GetAsync(query, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var grants = response.Body!["grants"]!.AsArray().OrderBy(g => g!["expiresAt"]!.GetValue<DateTimeOffset>()).ToList();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(new System.Text.Json.Nodes.JsonArray([.. grants.Select(g => g!.DeepClone())]).ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("GRANT", "CONSUMER", "SCOPE", "ENV", "ENDS", "GRANTED BY");
            foreach (var g in grants)
            {
                var key = g!["key"]!;
                table.Add(g["id"]!.ToString(), key["consumer"]!.ToString(), $"{key["provider"]}:{key["scope"]}", key["environment"]!.ToString(),
                    g["expiresAt"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), g["grantedBy"]!.ToString());
            }

            await output.WriteAsync(table.Count == 0 ? $"No grant ends within {days} days.\n" : table.ToString());
            return 0;
        }));
        return command;
    }
}
