using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
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

    /// <summary>The body as text (a CSV or Markdown report is not JSON).</summary>
    public string? Text { get; init; }

    /// <summary>The audit head a report was read at (the <c>Gatehouse-Audit-Head</c> header).</summary>
    public string? AuditHead { get; init; }
}

/// <summary>A request body serialized already (a push measures and announces its size before sending it).</summary>
internal sealed record JsonBody(byte[] Utf8)
{
    public static JsonBody From(object body) => new(JsonSerializer.SerializeToUtf8Bytes(body, CliJson.Options));
}

/// <summary>Thrown when the server cannot be reached at all; the CLI prints it as one line.</summary>
internal sealed class ServerUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A thin JSON client of the Gatehouse REST API. Each call says whether it may be repeated
/// (<see cref="RetryPolicy"/>): reads are retried, writes the server deduplicates are retried
/// under one <c>Idempotency-Key</c>, other writes are sent once. The token goes only into the
/// Authorization header; it is never printed, not even in errors.
/// </summary>
internal sealed class GatehouseClient(Uri baseUrl, string? token, HttpMessageHandler? handler = null, RetryPolicy? retry = null, TextWriter? log = null) : IDisposable
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly HttpClient _http = CreateHttp(baseUrl, token, handler);
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Default;

    private enum Repeat
    {
        Safe,
        UnderKey,
        Never,
    }

    public Uri BaseUrl => baseUrl;

    /// <summary>How long one attempt may wait for the whole answer (100 s; a push sets its own, ADR 0038).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Appended to the message when an attempt runs out of <see cref="Timeout"/>: what the user can do.</summary>
    public string? TimeoutAdvice { get; set; }

    /// <summary>A read; retried.</summary>
    public Task<ApiResponse> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, Repeat.Safe, ct);

    /// <summary>A POST that changes nothing on the server (<c>plan</c>, <c>check</c>); retried like a read.</summary>
    public Task<ApiResponse> PostReadAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, Repeat.Safe, ct);

    /// <summary>
    /// A write to an endpoint that honours <c>Idempotency-Key</c> (push, approve, deny, revoke a
    /// grant or client, add a client key): one new key for this call, sent on every attempt, so
    /// the server applies it once however many attempts reach it; retried.
    /// </summary>
    public Task<ApiResponse> PostIdempotentAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, Repeat.UnderKey, ct);

    /// <summary>A write that is not safe to repeat (it creates a secret, or the endpoint keeps no key): sent once.</summary>
    public Task<ApiResponse> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, Repeat.Never, ct);

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, Repeat repeat, CancellationToken ct)
    {
        // UTF-8 bytes once: a whole organisation can weigh 70 MB, and a string would double it.
        var json = body switch
        {
            null => null,
            JsonBody serialized => serialized.Utf8,
            _ => JsonSerializer.SerializeToUtf8Bytes(body, CliJson.Options),
        };
        var key = repeat == Repeat.UnderKey ? NewIdempotencyKey() : null;
        var attempts = repeat == Repeat.Never ? 1 : _retry.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            string why;
            try
            {
                using var request = NewRequest(method, path, json, key);
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                {
                    attemptTimeout.CancelAfter(Timeout);
                }

                using var response = await _http.SendAsync(request, attemptTimeout.Token);
                var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token);
                var answer = new ApiResponse((int)response.StatusCode, ReadJson(text, response))
                {
                    Text = text,
                    AuditHead = response.Headers.TryGetValues("Gatehouse-Audit-Head", out var head) ? head.FirstOrDefault() : null,
                };
                var retryAfter = RetryAfter(response);
                if (attempt == attempts || !RetryPolicy.IsTransient(response.StatusCode) || retryAfter > _retry.MaxRetryAfter)
                {
                    return answer;
                }

                wait = retryAfter ?? _retry.Backoff(attempt);
                why = $"Gatehouse answered {answer.Status}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException && (attempt < attempts) && RetryPolicy.IsTransient(e))
            {
                wait = _retry.Backoff(attempt);
                why = $"cannot reach Gatehouse ({e.Message})";
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                var tries = attempt > 1 ? $"; gave up after {attempt} attempts" : string.Empty;
                throw new ServerUnreachableException($"cannot reach Gatehouse at {baseUrl}: {e.Message}{tries}", e);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                var advice = TimeoutAdvice is null ? string.Empty : "; " + TimeoutAdvice;
                throw new ServerUnreachableException(string.Create(CultureInfo.InvariantCulture, $"Gatehouse at {baseUrl} did not answer within {Timeout.TotalSeconds:0} s{advice}"), e);
            }

            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gatehouse: {why}; retrying in {wait.TotalSeconds:0.0} s ({attempt + 1} of {attempts})"));
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>Every request is built here, one per attempt (a request message cannot be sent twice).</summary>
    private static HttpRequestMessage NewRequest(HttpMethod method, string path, byte[]? json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        return request;
    }

    private static JsonNode? ReadJson(string text, HttpResponseMessage response)
    {
        return text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonNode.Parse(text)
            : null;
    }

    // RFC 9110 section 10.2.3: seconds, or an HTTP date.
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    private static string NewIdempotencyKey() => "gatehouse-cli-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static HttpClient CreateHttp(Uri baseUrl, string? token, HttpMessageHandler? handler)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(root, "api/v1/");
        http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // per attempt instead: see Timeout
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gatehouse-cli", "1"));
        CiTrigger.AddTo(http.DefaultRequestHeaders, Environment.GetEnvironmentVariable);

        // A pipeline checks rarely and must never race a revocation it was just told of (ADR 0033).
        http.DefaultRequestHeaders.Add("Gatehouse-Consistency", "full");
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public void Dispose() => _http.Dispose();
}
