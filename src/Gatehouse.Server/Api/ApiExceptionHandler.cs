using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Api;

/// <summary>
/// Turns what escapes an endpoint into Problem Details with a code: a body the endpoint cannot
/// read (malformed JSON, a wrong type, no body, not JSON, too large) is the caller's to fix and
/// says where; anything else is a bug, logged with its stack and answered GH4000 with the request
/// id to find it by. Never a stack trace or a .NET type name in a response.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        if (exception is Checks.InvalidConsistencyException consistency)
        {
            await ApiProblems.Write(httpContext, StatusCodes.Status400BadRequest, ApiErrors.ConsistencyInvalid, consistency.Message);
            return true;
        }

        if (exception is BadHttpRequestException bad)
        {
            var (code, detail) = Describe(bad);
            await ApiProblems.Write(httpContext, bad.StatusCode, code, detail);
            return true;
        }

        logger.LogError(exception, "Request {RequestId} failed unexpectedly", httpContext.TraceIdentifier);
        await ApiProblems.Write(httpContext, StatusCodes.Status500InternalServerError, ApiErrors.Unexpected,
            $"Gatehouse failed unexpectedly; the server log has the details under request id {httpContext.TraceIdentifier}.");
        return true;
    }

    internal static (string Code, string Detail) Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status415UnsupportedMediaType => (ApiErrors.BodyNotJson, "Send the body as JSON, with `Content-Type: application/json`."),
        StatusCodes.Status413PayloadTooLarge => (ApiErrors.BodyTooLarge, "The request body is larger than the server accepts; send fewer files or needs per request."),
        _ when bad.InnerException is JsonException json => (ApiErrors.BodyNotValidJson, JsonProblem(json)),
        _ => (ApiErrors.BodyNotJson, "This request needs a JSON body; the routes and their bodies are in /openapi/v1.json."),
    };

    private static string JsonProblem(JsonException json)
    {
        var where = $"`{json.Path ?? "$"}`" + (json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty);
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;

        // The serializer names .NET types ("could not be converted to Gatehouse...NeededAccess"): say it in the API's words.
        var reason = message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal) || message.Contains("Gatehouse.", StringComparison.Ordinal)
            ? "the value has the wrong type (text where a list or an object is expected, or the reverse)"
            : message.TrimEnd('.');
        return $"The body is not valid JSON for this route at {where}: {reason}. The routes and their bodies are in /openapi/v1.json.";
    }
}
