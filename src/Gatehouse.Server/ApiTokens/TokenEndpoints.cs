using Gatehouse.Server.Api;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.ApiTokens;

/// <summary>Personal and deploy tokens. The secret appears once, in the creation response; lists never show it.</summary>
internal static class TokenEndpoints
{
    internal sealed record CreateTokenBody(string? Kind, string? Subject, int? ExpiresInDays, string? Description);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/tokens", async (CreateTokenBody body, HttpContext http, IGatehouseStore store, GatehouseOptions options, TimeProvider time, CancellationToken ct) =>
        {
            TokenKind? kind = body.Kind switch
            {
                "personal" or "user" => TokenKind.Personal,
                "deploy" or "app" => TokenKind.Deploy,
                _ => null,
            };
            if (kind is null || string.IsNullOrWhiteSpace(body.Subject))
            {
                return ApiProblems.Result(400, ApiErrors.TokenRequestInvalid, "Send `kind` (personal or deploy) and `subject` (a user name or an app name).");
            }

            var days = body.ExpiresInDays ?? options.DefaultTokenDays;
            if (days is < 1 or > 3650)
            {
                return ApiProblems.Result(400, StoreErrors.TokenExpiryInvalid, "`expiresInDays` must be from 1 to 3650.");
            }

            var result = await store.CreateTokenAsync(new TokenSubject(kind.Value, body.Subject), time.GetUtcNow().AddDays(days), body.Description, http.User.ToActor(), http.TraceIdentifier, ct);
            if (result.Succeeded)
            {
                Observability.GatehouseMetrics.Issued(kind.Value == TokenKind.Deploy ? "deploy" : "personal");
            }

            return result.Succeeded
                ? new JsonApiResult(201, new { result.Value!.Info.Id, result.Value.Secret, subject = result.Value.Info.Subject, result.Value.Info.ExpiresAt })
                : ApiProblems.From(result);
        })
        // Deliberately no Idempotency-Key here: a replay would have to store the secret.
        .WithName("CreateToken");

        // Least privilege (ADR 0011): a person sees her own tokens, what she created and her apps' deploy tokens; admins all.
        api.MapGet("/tokens", async (HttpContext http, IGatehouseStore store, Storage.Usage.IUsageStore usage, CancellationToken ct) =>
            JsonApiResult.Ok(new { tokens = await Usage.TokenUsageView.ListAsync(await store.ListTokensAsync(http.User.ToActor(), ct), usage, ct) }))
            .WithName("ListTokens");

        api.MapPost("/tokens/{id}/revoke", async (string id, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            var result = await store.RevokeTokenAsync(id, http.User.ToActor(), http.TraceIdentifier, ct);
            return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
        }).AddEndpointFilter<IdempotencyFilter>().WithName("RevokeToken");
    }
}
