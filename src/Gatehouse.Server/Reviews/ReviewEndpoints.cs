using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Reviews;

/// <summary>Access reviews (ADR 0032): an admin opens one, owners keep or revoke each grant, the deadline closes it.</summary>
internal static class ReviewEndpoints
{
    internal sealed record OpenReviewBody(string? Environment, int? DeadlineDays, string? Unconfirmed);

    internal sealed record ReviewAnswerBody(string? Decision, string? Comment);

    /// <summary>A review as the API shows it: its progress and, per grant, the answer.</summary>
    internal sealed record ReviewView(long Id, string Environment, string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset Deadline, string Unconfirmed,
        bool Open, DateTimeOffset? ClosedAt, int Total, int Kept, int Revoked, int Waiting, IReadOnlyList<ReviewItemView>? Items)
    {
        public static ReviewView From(AccessReview r, IEnumerable<ReviewItem>? items) => new(r.Id, r.Environment ?? "all", r.OpenedBy, r.OpenedAt, r.Deadline,
            r.Unconfirmed == UnconfirmedAction.Revoke ? "revoke" : "report", r.IsOpen, r.ClosedAt, r.Total, r.Kept, r.Revoked, r.Waiting,
            items?.Select(ReviewItemView.From).ToList());
    }

    internal sealed record ReviewItemView(long GrantId, AccessKey Key, string GrantedBy, DateTimeOffset GrantedAt, string? Decision, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment, string? Outcome)
    {
        public static ReviewItemView From(ReviewItem i) => new(i.GrantId, i.Key, i.GrantedBy, i.GrantedAt,
            i.Decision switch { ReviewDecision.Keep => "keep", ReviewDecision.Revoke => "revoke", _ => null }, i.DecidedBy, i.DecidedAt, i.Comment, i.Outcome);
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/reviews", async (OpenReviewBody? body, HttpContext http, IGatehouseStore store, TimeProvider time, CancellationToken ct) =>
        {
            var days = body?.DeadlineDays ?? 14;
            if (days is < 1 or > 365)
            {
                return ApiProblems.Result(400, StoreErrors.ReviewInvalid, "`deadlineDays` must be from 1 to 365.");
            }

            UnconfirmedAction? unconfirmed = (body?.Unconfirmed ?? "report") switch
            {
                "report" => UnconfirmedAction.Report,
                "revoke" => UnconfirmedAction.Revoke,
                _ => null,
            };
            if (unconfirmed is null)
            {
                return ApiProblems.Result(400, StoreErrors.ReviewInvalid, "`unconfirmed` must be report (the default: grants nobody confirmed stay, listed) or revoke.");
            }

            var environment = string.IsNullOrWhiteSpace(body?.Environment) || body.Environment == "all" ? null : body.Environment;
            var result = await store.OpenReviewAsync(environment, time.GetUtcNow().AddDays(days), unconfirmed.Value, http.User.ToActor(), http.TraceIdentifier, ct);
            return result.Succeeded ? new JsonApiResult(201, ReviewView.From(result.Value!, null)) : ApiProblems.From(result);
        }).WithName("OpenReview").WithSummary("Open an access review of every active grant (in one environment, or all); admins only");

        api.MapGet("/reviews", async (bool? open, IGatehouseStore store, CancellationToken ct) =>
            JsonApiResult.Ok(new { reviews = (await store.ListReviewsAsync(open == true, ct)).Select(r => ReviewView.From(r, null)) }))
            .WithName("ListReviews");

        // mine=true: only the grants the caller answers for, as an owner of the providing app.
        api.MapGet("/reviews/{id:long}", async (long id, bool? mine, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            if (await store.GetReviewAsync(id, ct) is not { } review)
            {
                return ApiProblems.Result(404, StoreErrors.ReviewNotFound, $"There is no review {id}.");
            }

            IEnumerable<ReviewItem> items = review.Items;
            if (mine == true)
            {
                var owned = (await store.CredentialVisibilityAsync(http.User.ToActor(), ct)).IsEverything ? null : await OwnedAsync(http, store, review, ct);
                items = owned is null ? items : items.Where(i => owned.Contains(i.Key.Provider));
            }

            return JsonApiResult.Ok(ReviewView.From(review, items));
        }).WithName("GetReview");

        api.MapPost("/reviews/{id:long}/grants/{grantId:long}", async (long id, long grantId, ReviewAnswerBody? body, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            ReviewDecision? decision = body?.Decision switch
            {
                "keep" => ReviewDecision.Keep,
                "revoke" => ReviewDecision.Revoke,
                _ => null,
            };
            if (decision is null)
            {
                return ApiProblems.Result(400, StoreErrors.ReviewInvalid, "Send `decision`: keep or revoke (revoke needs a `comment`).");
            }

            var result = await store.DecideReviewItemAsync(id, grantId, decision.Value, body!.Comment, http.User.ToActor(), http.TraceIdentifier, ct);
            return result.Succeeded ? JsonApiResult.Ok(ReviewItemView.From(result.Value!)) : ApiProblems.From(result);
        }).AddEndpointFilter<IdempotencyFilter>().WithName("AnswerReview");
    }

    private static async Task<HashSet<string>> OwnedAsync(HttpContext http, IGatehouseStore store, AccessReview review, CancellationToken ct)
    {
        var actor = http.User.ToActor();
        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in review.Items.Select(i => i.Key.Provider).Distinct(StringComparer.Ordinal))
        {
            if (actor.Kind == ActorKind.User && (await store.GetAppAsync(provider, ct))?.OwnerUsers.Contains(actor.Name, StringComparer.Ordinal) == true)
            {
                owned.Add(provider);
            }
        }

        return owned;
    }
}
