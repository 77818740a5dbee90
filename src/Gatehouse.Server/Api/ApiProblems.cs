using System.Text.Json;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Api;

/// <summary>
/// RFC 9457 Problem Details with a stable Gatehouse code: <c>type</c> links to the code's entry in
/// docs/errors.md and the CLI prints the same code.
/// </summary>
public static class ApiProblems
{
    public const string DocsBase = "https://gatehouse.dev/docs/errors#";

    public static ProblemDetails Create(int status, string code, string detail) => new()
    {
        Status = status,
        Type = DocsBase + code.ToLowerInvariant(),
        Title = TitleFor(status),
        Detail = detail,
        Extensions = { ["code"] = code },
    };

    public static IResult Result(int status, string code, string detail) =>
        new JsonApiResult(status, Create(status, code, detail), "application/problem+json");

    public static IResult From<T>(StoreResult<T> failure) => Result(StatusFor(failure.ErrorKind), failure.ErrorCode ?? ApiErrors.Unexpected, failure.ErrorMessage ?? "The request failed.");

    public static Task Write(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(Create(status, code, detail), ApiJson.Options));
    }

    /// <summary>Caller text fit to quote in a message: short, no control characters.</summary>
    public static string Printable(string? text) =>
        text is null ? string.Empty : text.Length <= 200 && !text.Any(char.IsControl) ? text : "(a long or unprintable path)";

    public static int StatusFor(StoreErrorKind kind) => kind switch
    {
        StoreErrorKind.NotFound => StatusCodes.Status404NotFound,
        StoreErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        StoreErrorKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        429 => "Too many requests",
        500 => "Internal error",
        503 => "Service unavailable",
        _ => "Error",
    };
}
