using System.Security.Cryptography;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Api;

/// <summary>
/// Honours an <c>Idempotency-Key</c> header on write endpoints: the first response for a
/// (caller, key) is stored and replayed for a retry of the same request; the same key with a
/// different request is refused. Lets a CI job retry a push or an approval safely.
/// </summary>
internal sealed class IdempotencyFilter(IGatehouseStore store) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string? key = http.Request.Headers[Header];
        if (string.IsNullOrEmpty(key))
        {
            return await next(context);
        }

        if (key.Length > 200 || key.Any(char.IsControl))
        {
            return ApiProblems.Result(400, ApiErrors.IdempotencyKeyInvalid, "Idempotency-Key must be at most 200 printable characters.");
        }

        var actor = http.User.ToActor().ToString();
        var fingerprint = await FingerprintAsync(http.Request);
        var stored = await store.GetIdempotentResponseAsync(actor, key, http.RequestAborted);
        if (stored is not null)
        {
            if (stored.RequestFingerprint != fingerprint)
            {
                return ApiProblems.Result(422, ApiErrors.IdempotencyKeyReused, "This Idempotency-Key was already used for a different request; use a new key for a new request.");
            }

            http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Content(stored.Body, stored.ContentType, statusCode: stored.StatusCode);
        }

        var result = await next(context);
        if (result is JsonApiResult json && json.StatusCode < 500)
        {
            await store.SaveIdempotentResponseAsync(actor, key, new StoredResponse(json.StatusCode, json.ContentType, json.Serialize(), fingerprint), http.RequestAborted);
        }

        return result;
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
