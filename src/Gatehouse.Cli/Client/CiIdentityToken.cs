using System.Net.Http.Headers;
using System.Text.Json;

namespace Gatehouse.Cli.Client;

/// <summary>
/// The CI run's own OpenID Connect token (keyless CI identity, ADR 0021), for push, plan and
/// check when no Gatehouse token is given: GitLab CI's, from <c>GATEHOUSE_ID_TOKEN</c> (set by
/// <c>id_tokens:</c> in .gitlab-ci.yml); GitHub Actions', requested from
/// <c>ACTIONS_ID_TOKEN_REQUEST_URL</c> with <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> (the job needs
/// <c>permissions: id-token: write</c>) for the audience <c>GATEHOUSE_CI_AUDIENCE</c>, by default
/// the server URL.
/// </summary>
internal static class CiIdentityToken
{
    public const string GitLabVariable = "GATEHOUSE_ID_TOKEN";
    public const string AudienceVariable = "GATEHOUSE_CI_AUDIENCE";

    /// <summary>The token, or null when this is no CI run that offers one; a problem when it offers one that cannot be had.</summary>
    public static async Task<(string? Token, string? Problem)> FromEnvironmentAsync(Func<string, string?> environment, string? serverUrl, HttpMessageHandler? handler = null, CancellationToken ct = default)
    {
        if (environment(GitLabVariable) is { Length: > 0 } gitlab)
        {
            return (gitlab.Trim(), null);
        }

        if (environment("ACTIONS_ID_TOKEN_REQUEST_URL") is not { Length: > 0 } requestUrl
            || environment("ACTIONS_ID_TOKEN_REQUEST_TOKEN") is not { Length: > 0 } requestToken)
        {
            return (null, null);
        }

        var audience = environment(AudienceVariable) is { Length: > 0 } configured ? configured : serverUrl?.TrimEnd('/');
        if (string.IsNullOrEmpty(audience))
        {
            return (null, $"set {AudienceVariable} to the audience of the organisation file's GitHub issuer");
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(30);
        var separator = requestUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var request = new HttpRequestMessage(HttpMethod.Get, requestUrl + separator + "audience=" + Uri.EscapeDataString(audience));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requestToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"GitHub Actions refused an ID token ({(int)response.StatusCode}); give the job `permissions: id-token: write`");
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return body.RootElement.TryGetProperty("value", out var value) && value.GetString() is { Length: > 0 } token
                ? (token, null)
                : (null, "GitHub Actions answered the ID token request without a token");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, $"could not request the GitHub Actions ID token: {e.Message}");
        }
    }
}
