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
        // endingWithinDays: only live grants whose end falls within that many days (ADR 0023).
        api.MapGet("/grants", async (IGatehouseStore store, TimeProvider time, Storage.Usage.IUsageStore usage, Usage.UsageOptions usageOptions, string? provider, string? scope, string? consumer, string? env, bool? all, int? endingWithinDays, CancellationToken ct) =>
        {
            if (endingWithinDays is < 0 or > 3650)
            {
                return ApiProblems.Result(400, ApiErrors.EndingWithinInvalid, "endingWithinDays must be a whole number of days from 0 to 3650.");
            }

            var before = endingWithinDays is { } days ? time.GetUtcNow().AddDays(days) : (DateTimeOffset?)null;
            var grants = await store.ListGrantsAsync(new GrantQuery(provider, scope, consumer, env, ActiveOnly: all != true || before is not null, EndingBefore: before), ct);
            return JsonApiResult.Ok(new { grants = await Usage.GrantUsageView.ListAsync(grants, usage, usageOptions, time.GetUtcNow(), ct) });
        }).WithName("ListGrants");

        api.MapPost("/grants/{id:long}/revoke", async (long id, RevokeBody? body, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            var result = await store.RevokeAsync(id, http.User.ToActor(), body?.Comment, http.TraceIdentifier, ct);
            return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
        }).AddEndpointFilter<IdempotencyFilter>().WithName("RevokeGrant");
    }
}
