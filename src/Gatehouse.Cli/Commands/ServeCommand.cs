using System.CommandLine;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse serve</c>: the server (API, portal, token and decision endpoints).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Out;
        var error = context.Error;
        var demo = new Option<bool>("--demo") { Description = "Start with the example organisation and demo users loaded (temporary SQLite database)" };
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default: $ASPNETCORE_URLS or {GatehouseHost.DefaultUrl})" };
        var command = new Command("serve", $"Run the Gatehouse server: REST API, portal, token and decision endpoints. Storage is SQLite in $GATEHOUSE_DATA (default ~/.local/share/gatehouse), or PostgreSQL when $GATEHOUSE_DATABASE holds a connection string. Configuration comes from GATEHOUSE_* variables (secrets also from GATEHOUSE_*_FILE); see docs/operations.md.") { demo, urls }.With("gatehouse serve --demo\nGATEHOUSE_PUBLIC_URL=https://gatehouse.example.com GATEHOUSE_BOOTSTRAP_TOKEN_FILE=/run/secrets/gh gatehouse serve --urls http://0.0.0.0:8080");
        command.SetAction(async (parse, ct) =>
        {
            var args = parse.GetValue(urls) is { } u ? new[] { "--urls", u } : [];
            try
            {
                return await GatehouseHost.RunAsync(args, parse.GetValue(demo), output, ct);
            }
            catch (ConfigurationProblemException e)
            {
                await error.WriteLineAsync($"gatehouse: error: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Database unreachable, durability refused, port taken: one line, no stack trace.
                await error.WriteLineAsync($"gatehouse: error: cannot start the server: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
