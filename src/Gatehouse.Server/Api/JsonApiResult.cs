using System.Text.Json;

namespace Gatehouse.Server.Api;

/// <summary>
/// A JSON response whose status and body can be inspected before it is written, so the
/// idempotency filter can store exactly what the client received.
/// </summary>
public sealed class JsonApiResult(int statusCode, object? body, string contentType = "application/json") : IResult, IStatusCodeHttpResult
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType { get; } = contentType;

    public string Serialize() => body is null ? string.Empty : JsonSerializer.Serialize(body, body.GetType(), ApiJson.Options);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        if (body is null)
        {
            return Task.CompletedTask;
        }

        // UTF-8 bytes with a Content-Length: no intermediate string, no chunked framing.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ApiJson.Options);
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = bytes.Length;
        return httpContext.Response.Body.WriteAsync(bytes).AsTask();
    }

    public static JsonApiResult Ok(object body) => new(StatusCodes.Status200OK, body);
}
