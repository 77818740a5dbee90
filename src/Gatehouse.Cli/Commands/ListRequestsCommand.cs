using System.CommandLine;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Output;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse requests</c>: access requests, by default the pending ones.</summary>
internal static class ListRequestsCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var mine = new Option<bool>("--mine") { Description = "Only requests for scopes of apps I own (my inbox)" };
        var state = new Option<string>("--state") { Description = "pending (default), approved, denied, superseded or all", DefaultValueFactory = _ => "pending" };
        state.AcceptOnlyFromAmong("pending", "approved", "denied", "superseded", "all");
        var app = new Option<string?>("--app") { Description = "Only requests for scopes of this (providing) app" };
        var consumer = new Option<string?>("--consumer") { Description = "Only requests made by this app" };
        var env = new Option<string?>("--env") { Description = "Only this environment" };
        var json = new TextOrJsonFormat();
        var server = new ServerCommandOptions();
        var command = new Command("requests", "List access requests (pending ones by default).") { mine, state, app, consumer, env, json.Format, json.Json }.With("gatehouse requests --mine\ngatehouse requests --app customers --env production --state all");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var query = new List<string>();
            if (parse.GetValue(state) is { } s && s != "all")
            {
                query.Add($"state={s}");
            }

            void Add(string key, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    query.Add($"{key}={Uri.EscapeDataString(value)}");
                }
            }

            Add("provider", parse.GetValue(app));
            Add("consumer", parse.GetValue(consumer));
            Add("env", parse.GetValue(env));
            if (parse.GetValue(mine))
            {
                query.Add("mine=true");
            }

            var response = await client.GetAsync("requests?" + string.Join('&', query), ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var requests = response.Body!["requests"]!.AsArray();
            if (json.IsJson(parse))
            {
                await output.WriteLineAsync(requests.ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("ID", "STATE", "CONSUMER", "SCOPE", "ENV", "APPROVAL", "VOTES", "REASON");
            foreach (var r in requests)
            {
                var key = r!["key"]!;
                table.Add(r["id"]!.ToString(), r["state"]!.ToString(), key["consumer"]!.ToString(), $"{key["provider"]}:{key["scope"]}", key["environment"]!.ToString(),
                    r["requiredApproval"]!.ToString(), r["votes"]?.AsArray().Count.ToString(System.Globalization.CultureInfo.InvariantCulture), r["reason"]!.ToString());
            }

            await output.WriteAsync(table.Count == 0 ? "No requests.\n" : table.ToString());
            return 0;
        }));
        return command;
    }
}
