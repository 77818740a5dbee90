namespace Gatehouse.Cli.Client;

/// <summary>
/// Where the server is and who we are: <c>--url</c>/<c>--token</c>, else <c>GATEHOUSE_URL</c> and
/// <c>GATEHOUSE_TOKEN</c> (or <c>GATEHOUSE_TOKEN_FILE</c>), so CI needs no flags.
/// </summary>
internal static class ServerConnection
{
    public static (GatehouseClient? Client, string? Problem) Resolve(string? url, string? token, bool tokenRequired = true)
    {
        url ??= Environment.GetEnvironmentVariable("GATEHOUSE_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, "no server given: pass --url or set GATEHOUSE_URL (for example http://127.0.0.1:5080)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"`{url}` is not an http(s) URL");
        }

        token ??= Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN");
        if (string.IsNullOrWhiteSpace(token) && Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN_FILE") is { Length: > 0 } file)
        {
            try
            {
                token = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"GATEHOUSE_TOKEN_FILE names `{file}`, which cannot be read: {e.Message}");
            }
        }

        if (tokenRequired && string.IsNullOrWhiteSpace(token))
        {
            return (null, "no token given: pass --token or set GATEHOUSE_TOKEN (create one with `gatehouse token create --user NAME`)");
        }

        return (new GatehouseClient(uri, string.IsNullOrWhiteSpace(token) ? null : token), null);
    }
}
