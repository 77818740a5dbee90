using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Gatehouse.Storage.Notifications;

namespace Gatehouse.Server.Notifications;

/// <summary>Dead letters, for admins only: they name targets and subjects across every team.</summary>
internal static class NotificationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications");
        group.MapGet("/dead-letters", async (HttpContext http, IGatehouseStore store, INotificationStore outbox, string? limit, CancellationToken ct) =>
        {
            if (await RefuseAsync(http, store, ct) is { } refusal)
            {
                return refusal;
            }

            var max = 100;
            if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out max) || max is < 1 or > 1000))
            {
                return ApiProblems.Result(400, NotificationErrors.InvalidLimit, $"limit `{ApiProblems.Printable(limit)}` is not a whole number from 1 to 1000.");
            }

            var counts = await outbox.CountAsync(ct);
            return JsonApiResult.Ok(new
            {
                pending = counts.Pending,
                delivered = counts.Delivered,
                dead = counts.Dead,
                deadLetters = await outbox.ListDeadLettersAsync(max, ct),
            });
        }).WithName("ListDeadLetters");

        group.MapPost("/dead-letters/{id}/redeliver", async (HttpContext http, string id, IGatehouseStore store, INotificationStore outbox, CancellationToken ct) =>
        {
            if (await RefuseAsync(http, store, ct) is { } refusal)
            {
                return refusal;
            }

            return await outbox.RedeliverAsync(id, ct)
                ? JsonApiResult.Ok(new { id, state = "pending" })
                : ApiProblems.Result(404, NotificationErrors.DeadLetterNotFound,
                    $"There is no dead letter `{ApiProblems.Printable(id)}`: list them with `gatehouse notifications dead-letters`.");
        }).WithName("RedeliverDeadLetter");
    }

    private static async Task<IResult?> RefuseAsync(HttpContext http, IGatehouseStore store, CancellationToken ct)
    {
        var actor = http.User.ToActor();
        var admin = actor.Kind == ActorKind.Bootstrap
            || (actor.Kind == ActorKind.User && (await store.GetUserAsync(actor.Name, ct))?.IsAdmin == true);
        return admin ? null : ApiProblems.Result(403, NotificationErrors.AdminOnly, "Only an admin can see and redeliver dead letters.");
    }
}
