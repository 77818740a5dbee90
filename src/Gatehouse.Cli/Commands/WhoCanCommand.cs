using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse who-can APP:SCOPE</c>: which apps hold a scope, who approved it and when.</summary>
internal static class WhoCanCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var scope = new Argument<string>("APP:SCOPE") { Description = "The scope's global name, e.g. customers:profile.read" };
        var env = new Option<string?>("--env") { Description = "Only this environment" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var server = new ServerCommandOptions();
        var command = new Command("who-can", "Show which apps may use a scope (active grants), per environment, with who approved.") { scope, env, json }.With("gatehouse who-can customers:profile.read\ngatehouse who-can payments:refunds.write --env production");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var name = parse.GetValue(scope)!;
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == name.Length - 1)
            {
                await error.WriteLineAsync($"gatehouse: error: `{name}` is not a scope's global name; write APP:SCOPE, e.g. customers:profile.read");
                return 2;
            }

            var query = $"grants?provider={Uri.EscapeDataString(name[..colon])}&scope={Uri.EscapeDataString(name[(colon + 1)..])}";
            if (parse.GetValue(env) is { Length: > 0 } e)
            {
                query += $"&env={Uri.EscapeDataString(e)}";
            }

            var response = await client.GetAsync(query, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var grants = response.Body!["grants"]!.AsArray();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(grants.ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("GRANT", "APP", "ENV", "GRANTED BY", "SINCE");
            foreach (var g in grants)
            {
                table.Add(g!["id"]!.ToString(), g["key"]!["consumer"]!.ToString(), g["key"]!["environment"]!.ToString(), g["grantedBy"]!.ToString(), g["grantedAt"]!.ToString());
            }

            await output.WriteAsync(table.Count == 0 ? $"No app may use {name}.\n" : table.ToString());
            return 0;
        }));
        return command;
    }
}
