using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gatehouse.OAuth.Tests.Infrastructure;

/// <summary>Sends raw token and introspection requests, exactly as written, to see the server's exact answer.</summary>
internal static class TokenClient
{
    public sealed record Answer(int Status, JsonNode Body, HttpResponseMessage Response)
    {
        public string? Error => Body["error"]?.GetValue<string>();

        public string AccessToken => Body["access_token"]!.GetValue<string>();
    }

    public static Task<Answer> PostAsync(OAuthTestServer server, string path, string body, (string Id, string Secret)? basic = null) =>
        PostAsync(server, path, body, basic is { } b ? new AuthenticationHeaderValue("Basic", BasicValue(b.Id, b.Secret)) : null);

    public static async Task<Answer> PostAsync(OAuthTestServer server, string path, string body, AuthenticationHeaderValue? authorization)
    {
        using var http = server.Client(bearer: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = authorization;
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response);
    }

    public static Task<Answer> TokenAsync(OAuthTestServer server, (string Id, string Secret) client, string parameters) =>
        PostAsync(server, "oauth2/token", "grant_type=client_credentials&" + parameters, client);

    public static Task<Answer> IntrospectAsync(OAuthTestServer server, (string Id, string Secret) caller, string token) =>
        PostAsync(server, "oauth2/introspect", "token=" + Uri.EscapeDataString(token), caller);

    public static string BasicValue(string id, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret)));

    public static string Form(params (string Name, string Value)[] parameters) =>
        string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
}
