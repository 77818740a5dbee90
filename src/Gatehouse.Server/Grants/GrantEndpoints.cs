using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Grants;

/// <summary>Grants: who can use what (<c>who-can</c>), and revocation by an owner or admin.</summary>
internal static class GrantEndpoints
{
    internal sealed record RevokeBody(string? Comment);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/grants", async (IGatehouseStore store, string? provider, string? scope, string? consumer, string? env, bool? all, CancellationToken ct) =>
            JsonApiResult.Ok(new { grants = await store.ListGrantsAsync(new GrantQuery(provider, scope, consumer, env, ActiveOnly: all != true), ct) }))
            .WithName("ListGrants");

        api.MapPost("/grants/{id:long}/revoke", async (long id, RevokeBody? body, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            var result = await store.RevokeAsync(id, http.User.ToActor(), body?.Comment, http.TraceIdentifier, ct);
            return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
        }).AddEndpointFilter<IdempotencyFilter>().WithName("RevokeGrant");
    }
}
