using Gatehouse.Server.Api;
using Gatehouse.Storage;

namespace Gatehouse.Server.Audit;

/// <summary>The audit log (visible to every authenticated caller) and its chain verification.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (IGatehouseStore store, string? app, string? actor, string? action, DateTimeOffset? since, DateTimeOffset? until, long? after, int? limit, CancellationToken ct) =>
        {
            var query = new AuditQuery(app, actor, action, since, until, after, Math.Clamp(limit ?? 100, 1, 1000));
            return JsonApiResult.Ok(new { events = await store.ReadAuditAsync(query, ct) });
        }).WithName("ReadAudit");

        api.MapGet("/audit/verify", async (IGatehouseStore store, CancellationToken ct) =>
            JsonApiResult.Ok(await store.VerifyAuditAsync(ct)))
            .WithName("VerifyAudit");
    }
}
