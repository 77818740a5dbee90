using System.CommandLine;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Output;
using Gatehouse.Core.Validation;

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
        var json = new TextOrJsonFormat();
        var server = new ServerCommandOptions();
        var command = new Command("who-can", "Show which apps may use a scope (active grants), per environment, with who approved.") { scope, env, json.Format, json.Json }.With("gatehouse who-can customers:profile.read\ngatehouse who-can payments:refunds.write --env production");
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var name = parse.GetValue(scope)!;
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == name.Length - 1)
            {
                return context.Fail(ExitCodes.Usage, $"`{name}` is not a scope's global name; write APP:SCOPE, e.g. customers:profile.read");
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
            if (grants.Count == 0 && await UnknownScopeAsync(client, name[..colon], name[(colon + 1)..], ct) is { } unknown)
            {
                return context.Fail(ExitCodes.Usage, unknown);
            }

            if (json.IsJson(parse))
            {
                await output.WriteLineAsync(grants.ToJsonString(CliJson.Options));
                return 0;
            }

            var table = new TextTable("GRANT", "APP", "ENV", "GRANTED BY", "SINCE", "UNTIL", "LAST USED");
            foreach (var g in grants)
            {
                table.Add(g!["id"]!.ToString(), g["key"]!["consumer"]!.ToString(), g["key"]!["environment"]!.ToString(), g["grantedBy"]!.ToString(), g["grantedAt"]!.ToString(),
                    g["expiresAt"]?.ToString() ?? "-", (g["lastUsedAt"]?.ToString() ?? "never") + (g["unused"]?.GetValue<bool>() == true ? " (unused)" : ""));
            }

            await output.WriteAsync(table.Count == 0 ? $"No app may use {name}.\n" : table.ToString());
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Why a scope with no grants is not a scope at all (an app or scope nobody pushed), with the
    /// nearest names; null when it exists and simply has no grants. A typo must not read as "nobody".
    /// </summary>
    private static async Task<string?> UnknownScopeAsync(GatehouseClient client, string provider, string scope, CancellationToken ct)
    {
        var app = await client.GetAsync($"apps/{Uri.EscapeDataString(provider)}", ct);
        if (app.Status == 404)
        {
            var apps = await client.GetAsync("apps", ct);
            var names = apps.Ok ? apps.Body!["apps"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList() : [];
            return $"no app named `{provider}` has been pushed{Suggestions.DidYouMean(provider, names)}";
        }

        if (!app.Ok)
        {
            return null; // the grants answered; a failing catalogue read is not a reason to refuse
        }

        var scopes = app.Body!["scopes"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
        if (scopes.Contains(scope, StringComparer.Ordinal))
        {
            return null;
        }

        var declared = scopes.Count == 0 ? "it declares no scopes" : $"it declares: {string.Join(", ", scopes)}";
        return $"app `{provider}` has no scope `{scope}` ({declared}){Suggestions.DidYouMean(scope, scopes)}";
    }
}
