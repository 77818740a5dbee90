using System.CommandLine;

namespace Gatehouse.Cli.Client;

/// <summary>The <c>--url</c> and <c>--token</c> options every command that talks to a server shares.</summary>
internal sealed class ServerCommandOptions(bool acceptsCiToken = false)
{
    /// <summary>For push, plan and check: a CI run's OpenID Connect token (ADR 0021).</summary>
    public Option<string?> CiToken { get; } = new("--ci-token")
    {
        Description = "A CI run's OpenID Connect token (default, when no --token or $GATEHOUSE_TOKEN: $GATEHOUSE_ID_TOKEN on GitLab, or requested from GitHub Actions for $GATEHOUSE_CI_AUDIENCE, else the server URL)",
        HelpName = "JWT",
    };

    public Option<string?> Url { get; } = new("--url")
    {
        Description = "Server URL (default: $GATEHOUSE_URL)",
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Personal or deploy token (default: $GATEHOUSE_TOKEN or the file named by $GATEHOUSE_TOKEN_FILE)",
        HelpName = "TOKEN",
    };

    public Option<int?> Retries { get; } = new("--retries")
    {
        Description = "How often to repeat a read or an idempotent write the server could not answer (default: $GATEHOUSE_RETRIES or 5; 0: never)",
        HelpName = "N",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        if (acceptsCiToken)
        {
            command.Options.Add(CiToken);
        }

        command.Options.Add(Retries);
    }

    /// <summary>
    /// Runs <paramref name="action"/> with a connected client; turns a missing URL/token into
    /// exit 2 and an unreachable server into exit 1, each as one line on stderr.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, TextWriter error, Func<GatehouseClient, Task<int>> action)
    {
        var token = parse.GetValue(Token);
        if (acceptsCiToken && token is null)
        {
            var (ciToken, ciProblem) = await CiTokenAsync(parse);
            if (ciProblem is not null)
            {
                await error.WriteLineAsync($"gatehouse: error: {ciProblem}");
                return 2;
            }

            token = ciToken;
        }

        var (client, problem) = ServerConnection.Resolve(parse.GetValue(Url), token, parse.GetValue(Retries), error);
        if (client is null)
        {
            await error.WriteLineAsync($"gatehouse: error: {problem}");
            return 2;
        }

        using (client)
        {
            try
            {
                return await action(client);
            }
            catch (ServerUnreachableException e)
            {
                await error.WriteLineAsync($"gatehouse: error: {e.Message}");
                return 1;
            }
        }
    }

    /// <summary>--ci-token, else (unless a Gatehouse token is in the environment) the CI run's own token.</summary>
    private async Task<(string? Token, string? Problem)> CiTokenAsync(ParseResult parse)
    {
        if (parse.GetValue(CiToken) is { Length: > 0 } given)
        {
            return (given.Trim(), null);
        }

        if (Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN") is { Length: > 0 } || Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN_FILE") is { Length: > 0 })
        {
            return (null, null);
        }

        return await CiIdentityToken.FromEnvironmentAsync(Environment.GetEnvironmentVariable, parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("GATEHOUSE_URL"));
    }

    /// <summary>Prints a failed API call as `error GHnnnn: detail` (the code links to docs/errors.md).</summary>
    public static async Task<int> FailAsync(TextWriter error, ApiResponse response)
    {
        await error.WriteLineAsync($"gatehouse: error: {response.Detail} [{response.Code}]");
        if (response.Body?["diagnostics"] is System.Text.Json.Nodes.JsonArray diagnostics)
        {
            foreach (var d in diagnostics)
            {
                await error.WriteLineAsync($"{d!["file"]}:{d["line"]}:{d["column"]}: {d["severity"]}: {d["message"]} [{d["code"]}]");
            }
        }

        return 1;
    }
}
