using System.Text.Json;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// An error response of RFC 6749 section 5.2. Descriptions say what to fix and never contain a
/// secret, an assertion or a token.
/// </summary>
internal sealed record OAuthError(string Error, string Description, bool BasicChallenge = false, TimeSpan? RetryAfter = null)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";

    /// <summary>RFC 8707 section 2: the requested resource is unknown or not allowed.</summary>
    public const string InvalidTarget = "invalid_target";

    /// <summary>
    /// RFC 6749 section 4.1.2.1's "temporarily overloading", sent with 429 and Retry-After when a
    /// rate limit refuses a request (RFC 6749 has no code of its own for it; ADR 0013).
    /// </summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";

    public static OAuthError Request(string description) => new(InvalidRequest, description);

    public static OAuthError Client(string description, bool basic = false) => new(InvalidClient, description, basic);

    public static OAuthError TooManyRequests(string description, TimeSpan retryAfter) => new(TemporarilyUnavailable, description, RetryAfter: retryAfter);

    public int Status => RetryAfter is not null ? StatusCodes.Status429TooManyRequests
        : Error == InvalidClient ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;

    public IResult ToResult() => new OAuthJsonResult(Status, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["error"] = Error,
        ["error_description"] = Description,
    }), BasicChallenge ? $"Basic realm=\"gatehouse\", error=\"{Error}\"" : null, RetryAfter);
}

/// <summary>A JSON body that must never be cached (RFC 6749 section 5.1).</summary>
internal sealed class OAuthJsonResult(int status, byte[] body, string? basicChallenge = null, TimeSpan? retryAfter = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        if (basicChallenge is not null)
        {
            response.Headers.WWWAuthenticate = basicChallenge;
        }

        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The whole body is known: a Content-Length spares Kestrel chunked framing and its closing chunk.
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
