using System.Data.Common;
using System.Globalization;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

/// <summary>Access reviews (docs/adr/0032-access-reviews.md).</summary>
internal sealed partial class RelationalStore
{
    private const string ReviewColumns = "id, environment, opened_by, opened_at, deadline, unconfirmed, closed_at";

    private const string ReviewItemColumns = $"""
        {Rows.GrantColumns}, i.decision, i.decided_by, i.decided_at, i.comment, i.outcome
        FROM review_items i JOIN grants g ON g.id = i.grant_id
        """;

    /// <summary>Where the item's own columns start, after the grant's.</summary>
    private static readonly int ReviewItemOrdinal = Rows.GrantColumns.Split(',').Length;

    public async Task<StoreResult<AccessReview>> OpenReviewAsync(string? environment, DateTimeOffset deadline, UnconfirmedAction unconfirmed, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        if (actor.Kind != ActorKind.Policy && (actor.Kind != ActorKind.User || !await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct)))
        {
            return StoreResult<AccessReview>.Fail(StoreErrorKind.Forbidden, StoreErrors.ReviewForbidden,
                "only an admin opens an access review (with their personal token), or an environment's review policy");
        }

        if (deadline <= scope.At)
        {
            return StoreResult<AccessReview>.Fail(StoreErrorKind.Invalid, StoreErrors.ReviewInvalid, "the review's deadline must be in the future");
        }

        if (environment is not null
            && (await ReadOrganisationAsync(scope, ct))?.Model.Environments.Any(e => e.Name == environment) != true)
        {
            return StoreResult<AccessReview>.Fail(StoreErrorKind.NotFound, StoreErrors.ReviewInvalid, $"there is no environment {environment} in the organisation file");
        }

        // A policy review is opened by every replica's timer: the first one in this lock opens it.
        if (actor.Kind == ActorKind.Policy
            && await scope.ScalarAsync("SELECT id FROM reviews WHERE closed_at IS NULL AND environment = @env", ct, ("@env", environment ?? string.Empty)) is not (null or DBNull))
        {
            return StoreResult<AccessReview>.Fail(StoreErrorKind.Conflict, StoreErrors.ReviewInvalid, $"a review of {environment} is open already");
        }

        var id = Convert.ToInt64(await scope.ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM reviews", ct), CultureInfo.InvariantCulture);
        await scope.ExecuteAsync($"INSERT INTO reviews ({ReviewColumns}) VALUES (@id, @env, @by, @at, @deadline, @unconfirmed, NULL)", ct,
            ("@id", id), ("@env", environment), ("@by", actor.ToString()), ("@at", scope.Now), ("@deadline", deadline.ToUnixTimeMilliseconds()),
            ("@unconfirmed", unconfirmed == UnconfirmedAction.Revoke ? "revoke" : "report"));
        var count = await scope.ExecuteAsync($"""
            INSERT INTO review_items (review_id, grant_id)
            SELECT @id, g.id FROM grants g
            WHERE g.state = 'active' AND (g.expires_at IS NULL OR g.expires_at > @now){(environment is null ? string.Empty : " AND g.environment = @env")}
            """, ct, ("@id", id), ("@now", scope.Now), ("@env", environment ?? string.Empty));
        scope.Audit.Append(actor.ToString(), "review.opened", $"review/{id}", null, data: StoreJson.Data(
            ("environment", environment ?? "all"), ("deadline", EndText(deadline)), ("unconfirmed", unconfirmed == UnconfirmedAction.Revoke ? "revoke" : "report"), ("grants", (long)count)));
        await scope.CommitAsync(ct);
        return StoreResult<AccessReview>.Ok((await GetReviewAsync(id, ct))!);
    }

    public async Task<IReadOnlyList<AccessReview>> ListReviewsAsync(bool openOnly, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        var ids = new List<long>();
        await using (var command = Db.Command(lease.Connection, null, $"SELECT id FROM reviews {(openOnly ? "WHERE closed_at IS NULL" : string.Empty)} ORDER BY id DESC"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var reviews = new List<AccessReview>(ids.Count);
        foreach (var id in ids)
        {
            reviews.Add((await ReadReviewAsync(lease.Connection, null, id, ct))!);
        }

        return reviews;
    }

    public async Task<AccessReview?> GetReviewAsync(long id, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        return await ReadReviewAsync(lease.Connection, null, id, ct);
    }

    public async Task<StoreResult<ReviewItem>> DecideReviewItemAsync(long reviewId, long grantId, ReviewDecision decision, string? comment, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        var review = await ReadReviewAsync(scope.Connection, scope.Transaction, reviewId, ct);
        if (review is null)
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.NotFound, StoreErrors.ReviewNotFound, $"review {reviewId} does not exist");
        }

        if (!review.IsOpen || review.Deadline <= scope.At)
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.Conflict, StoreErrors.ReviewClosed,
                $"review {reviewId} {(review.IsOpen ? "passed its deadline" : "is closed")} at {EndText(review.ClosedAt ?? review.Deadline)}; its answers can no longer change");
        }

        if (review.Items.FirstOrDefault(i => i.GrantId == grantId) is not { } item)
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.NotFound, StoreErrors.ReviewItemNotFound, $"grant {grantId} is not part of review {reviewId}");
        }

        var key = item.Key;
        var owners = await OwnerUsersAsync(scope.Connection, scope.Transaction, key.Provider, ct);
        var isAdmin = actor.Kind == ActorKind.User && await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct);
        if (actor.Kind != ActorKind.User || (!owners.Contains(actor.Name, StringComparer.Ordinal) && !isAdmin))
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.Forbidden, StoreErrors.ReviewForbidden,
                $"only an owner of {key.Provider} ({OwnerList(owners)}) or an admin answers for grant {grantId}, with their personal token");
        }

        // Separation of duties: nobody confirms access they hold (an owner of the consumer) or asked for.
        var holders = await OwnerUsersAsync(scope.Connection, scope.Transaction, key.Consumer, ct);
        var askers = await RequestPeopleOfGrantAsync(scope, grantId, ct);
        if (holders.Contains(actor.Name, StringComparer.Ordinal) || askers.Contains(actor.Name, StringComparer.Ordinal))
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.Forbidden, StoreErrors.ReviewOwnGrant,
                $"{actor.Name} {(holders.Contains(actor.Name, StringComparer.Ordinal) ? $"owns {key.Consumer}, which holds" : "asked for")} grant {grantId}; another owner of {key.Provider} ({OwnerList(owners)}) or an admin must answer for it");
        }

        if (decision == ReviewDecision.Revoke && string.IsNullOrWhiteSpace(comment))
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.Invalid, StoreErrors.CommentRequired, $"revoking grant {grantId} in review {reviewId} needs a comment that says why");
        }

        var grant = await ReadGrantAsync(scope.Connection, scope.Transaction, grantId, scope.At, ct);
        if (grant is not { State: GrantState.Active })
        {
            return StoreResult<ReviewItem>.Fail(StoreErrorKind.Conflict, StoreErrors.GrantNotActive,
                $"grant {grantId} is {(grant?.State == GrantState.Expired ? "expired" : "revoked")} already; there is nothing left to review");
        }

        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        await scope.ExecuteAsync("""
            UPDATE review_items SET decision = @decision, decided_by = @by, decided_at = @at, comment = @comment
            WHERE review_id = @review AND grant_id = @grant
            """, ct, ("@decision", decision == ReviewDecision.Keep ? "keep" : "revoke"), ("@by", actor.Name), ("@at", scope.Now), ("@comment", text),
            ("@review", reviewId), ("@grant", grantId));
        scope.Audit.Append(actor.ToString(), decision == ReviewDecision.Keep ? "review.kept" : "review.revoked", $"review/{reviewId}", key.Consumer, key.Provider, text,
            StoreJson.Data(("grant", grantId), ("access", Names.Subject(key))));
        if (decision == ReviewDecision.Revoke)
        {
            await RevokeGrantAsync(scope, actor.ToString(), grantId, key, $"access review {reviewId}: {text}", ct);
        }

        await scope.CommitAsync(ct);
        var after = await ReadReviewAsync(scope.Connection, null, reviewId, ct);
        return StoreResult<ReviewItem>.Ok(after!.Items.First(i => i.GrantId == grantId));
    }

    public async Task<IReadOnlyList<AccessReview>> CloseDueReviewsAsync(CancellationToken ct = default)
    {
        // Every replica asks every minute: a plain read answers "nothing due" without the write lock.
        await using (var lease = await Engine.OpenAsync(ct))
        {
            var earliest = await Db.ScalarAsync(lease.Connection, null, "SELECT MIN(deadline) FROM reviews WHERE closed_at IS NULL", ct);
            if (earliest is null or DBNull || Convert.ToInt64(earliest, CultureInfo.InvariantCulture) > time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                return [];
            }
        }

        await using var scope = await BeginWriteAsync("review-deadline", ct);
        var due = new List<long>();
        await using (var command = scope.Command("SELECT id FROM reviews WHERE closed_at IS NULL AND deadline <= @now ORDER BY id", ("@now", scope.Now)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                due.Add(reader.GetInt64(0));
            }
        }

        if (due.Count == 0)
        {
            return [];
        }

        var policy = Actor.Policy.ToString();
        foreach (var id in due)
        {
            var review = (await ReadReviewAsync(scope.Connection, scope.Transaction, id, ct))!;
            var (revoked, reported, ended) = (0L, 0L, 0L);
            foreach (var item in review.Items.Where(i => i.Decision is null))
            {
                var grant = await ReadGrantAsync(scope.Connection, scope.Transaction, item.GrantId, scope.At, ct);
                string outcome;
                if (grant is not { State: GrantState.Active })
                {
                    (outcome, ended) = ("ended", ended + 1);
                }
                else if (review.Unconfirmed == UnconfirmedAction.Revoke)
                {
                    await RevokeGrantAsync(scope, policy, item.GrantId, item.Key, $"access review {id}: nobody confirmed it by the deadline", ct);
                    (outcome, revoked) = ("revoked-at-deadline", revoked + 1);
                }
                else
                {
                    (outcome, reported) = ("unconfirmed", reported + 1);
                }

                await scope.ExecuteAsync("UPDATE review_items SET outcome = @outcome WHERE review_id = @review AND grant_id = @grant", ct,
                    ("@outcome", outcome), ("@review", id), ("@grant", item.GrantId));
            }

            await scope.ExecuteAsync("UPDATE reviews SET closed_at = @now WHERE id = @id", ct, ("@now", scope.Now), ("@id", id));
            scope.Audit.Append(policy, "review.closed", $"review/{id}", null, data: StoreJson.Data(
                ("kept", (long)review.Kept), ("revokedByOwners", (long)review.Revoked), ("revokedAtDeadline", revoked), ("unconfirmed", reported), ("ended", ended)));
        }

        await scope.CommitAsync(ct);
        var closed = new List<AccessReview>(due.Count);
        foreach (var id in due)
        {
            closed.Add((await GetReviewAsync(id, ct))!);
        }

        return closed;
    }

    public async Task<bool> RevokeUnusedGrantAsync(long grantId, string reason, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync("unused-grant-policy", ct);
        if (await ReadGrantAsync(scope.Connection, scope.Transaction, grantId, scope.At, ct) is not { State: GrantState.Active } grant)
        {
            return false;
        }

        await RevokeGrantAsync(scope, Actor.Policy.ToString(), grant.Id, grant.Key, reason, ct);
        await scope.CommitAsync(ct);
        return true;
    }

    private static async Task<List<string>> RequestPeopleOfGrantAsync(WriteScope scope, long grantId, CancellationToken ct)
    {
        var people = new List<string>();
        await using var command = scope.Command("""
            SELECT p.person FROM request_people p JOIN grants g ON g.request_id = p.request_id WHERE g.id = @grant
            UNION SELECT SUBSTR(r.requested_by, 6) FROM requests r JOIN grants g ON g.request_id = r.id WHERE g.id = @grant AND r.requested_by LIKE 'user:%'
            """, ("@grant", grantId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            people.Add(reader.GetString(0));
        }

        return people;
    }

    private async Task<AccessReview?> ReadReviewAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken ct)
    {
        AccessReview? review;
        await using (var command = Db.Command(connection, transaction, $"SELECT {ReviewColumns} FROM reviews WHERE id = @id", ("@id", id)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            review = new AccessReview(reader.GetInt64(0), reader.NullableString(1), reader.GetString(2), reader.Time(3), reader.Time(4),
                reader.GetString(5) == "revoke" ? UnconfirmedAction.Revoke : UnconfirmedAction.Report, reader.NullableTime(6), []);
        }

        var items = new List<ReviewItem>();
        var now = time.GetUtcNow();
        await using (var command = Db.Command(connection, transaction, $"SELECT {ReviewItemColumns} WHERE i.review_id = @id ORDER BY g.provider, g.consumer, g.scope, g.environment", ("@id", id)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var grant = Rows.Grant(reader, now);
                var at = ReviewItemOrdinal;
                var decision = reader.NullableString(at) switch
                {
                    "keep" => ReviewDecision.Keep,
                    "revoke" => ReviewDecision.Revoke,
                    _ => (ReviewDecision?)null,
                };
                items.Add(new ReviewItem(grant.Id, grant.Key, grant.GrantedBy, grant.GrantedAt, decision, reader.NullableString(at + 1), reader.NullableTime(at + 2),
                    reader.NullableString(at + 3), reader.NullableString(at + 4)));
            }
        }

        return review with { Items = items };
    }
}
