namespace Gatehouse.Cli.Client;

/// <summary>
/// Where the server is and who we are: <c>--url</c>/<c>--token</c>, else <c>GATEHOUSE_URL</c> and
/// <c>GATEHOUSE_TOKEN</c> (or <c>GATEHOUSE_TOKEN_FILE</c>), and how often to retry
/// (<c>--retries</c>, else <c>GATEHOUSE_RETRIES</c>), so CI needs no flags.
/// </summary>
internal static class ServerConnection
{
    public static (GatehouseClient? Client, string? Problem) Resolve(string? url, string? token, int? retries = null, TextWriter? log = null, bool tokenRequired = true)
    {
        if (retries is null && Environment.GetEnvironmentVariable("GATEHOUSE_RETRIES") is { Length: > 0 } fromEnvironment)
        {
            if (!int.TryParse(fromEnvironment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, $"GATEHOUSE_RETRIES must be a whole number of retries, e.g. 5 (0 turns retries off), not `{fromEnvironment}`");
            }

            retries = parsed;
        }

        if (retries is < 0 or > 20)
        {
            return (null, $"--retries must be between 0 and 20, not {retries}");
        }


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

        var policy = retries is { } n ? RetryPolicy.Default with { MaxRetries = n } : RetryPolicy.Default;
        return (new GatehouseClient(uri, string.IsNullOrWhiteSpace(token) ? null : token, retry: policy, log: log), null);
    }
}
