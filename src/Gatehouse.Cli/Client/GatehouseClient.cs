using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli.Client;

/// <summary>The answer of one API call: the status, the JSON body, and for a failure its GH code and detail.</summary>
internal sealed record ApiResponse(int Status, JsonNode? Body)
{
    public bool Ok => Status is >= 200 and < 300;

    public string Code => Body?["code"]?.GetValue<string>() ?? $"HTTP{Status}";

    public string Detail => Body?["detail"]?.GetValue<string>() ?? Body?["title"]?.GetValue<string>() ?? $"the server answered {Status}";
}

/// <summary>Thrown when the server cannot be reached at all; the CLI prints it as one line.</summary>
internal sealed class ServerUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A thin JSON client of the Gatehouse REST API. The token goes only into the Authorization
/// header; it is never printed, not even in errors.
/// </summary>
internal sealed class GatehouseClient(Uri baseUrl, string? token, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = CreateHttp(baseUrl, token, handler);

    public Uri BaseUrl => baseUrl;

    public Task<ApiResponse> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, null, ct);

    public Task<ApiResponse> PostAsync(string path, object? body, CancellationToken ct, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey, ct);

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, CliJson.Options), Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            {
                json = JsonNode.Parse(text);
            }

            return new ApiResponse((int)response.StatusCode, json);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException($"cannot reach Gatehouse at {baseUrl}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"Gatehouse at {baseUrl} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private static HttpClient CreateHttp(Uri baseUrl, string? token, HttpMessageHandler? handler)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(root, "api/v1/");
        http.Timeout = TimeSpan.FromSeconds(100);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gatehouse-cli", "1"));
        CiTrigger.AddTo(http.DefaultRequestHeaders, Environment.GetEnvironmentVariable);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public void Dispose() => _http.Dispose();
}
