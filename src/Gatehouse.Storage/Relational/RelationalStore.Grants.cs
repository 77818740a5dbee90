using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    public async Task<StoreResult<Grant>> RevokeAsync(long grantId, Actor actor, string? comment, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        var grant = await ReadGrantAsync(scope.Connection, scope.Transaction, grantId, scope.At, ct);
        if (grant is null)
        {
            return StoreResult<Grant>.Fail(StoreErrorKind.NotFound, StoreErrors.GrantNotFound, $"grant {grantId} does not exist");
        }

        var owners = await OwnerUsersAsync(scope.Connection, scope.Transaction, grant.Key.Provider, ct);
        if (actor.Kind == ActorKind.Bootstrap)
        {
            return StoreResult<Grant>.Fail(StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted,
                $"the bootstrap token revokes no grants: revoke grant {grantId} with the personal token of an owner of {grant.Key.Provider} ({OwnerList(owners)}) or an admin");
        }

        var isOwner = actor.Kind == ActorKind.User && owners.Contains(actor.Name, StringComparer.Ordinal);
        if (!isOwner && !await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct))
        {
            return StoreResult<Grant>.Fail(StoreErrorKind.Forbidden, StoreErrors.RevokeForbidden,
                $"only an owner of {grant.Key.Provider} ({OwnerList(owners)}) or an admin can revoke grant {grantId}");
        }

        if (grant.State == GrantState.Expired)
        {
            return StoreResult<Grant>.Fail(StoreErrorKind.Conflict, StoreErrors.GrantNotActive,
                $"grant {grantId} already expired at {grant.ExpiresAt:yyyy-MM-dd HH:mm} UTC; it is honoured nowhere");
        }

        if (grant.State != GrantState.Active)
        {
            return StoreResult<Grant>.Fail(StoreErrorKind.Conflict, StoreErrors.GrantNotActive,
                $"grant {grantId} is already revoked (by {grant.RevokedBy})");
        }

        await RevokeGrantAsync(scope, actor.ToString(), grant.Id, grant.Key, string.IsNullOrWhiteSpace(comment) ? null : comment, ct);
        await scope.CommitAsync(ct);
        return StoreResult<Grant>.Ok((await ReadGrantAsync(scope.Connection, null, grantId, time.GetUtcNow(), ct))!);
    }

    public async Task<IReadOnlyList<Grant>> ListGrantsAsync(GrantQuery query, CancellationToken ct = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", (long)Math.Clamp(query.Limit, 1, 10_000)) };
        Filter(where, parameters, "g.provider", query.Provider);
        Filter(where, parameters, "g.scope", query.Scope);
        Filter(where, parameters, "g.consumer", query.Consumer);
        Filter(where, parameters, "g.environment", query.Environment);
        var now = time.GetUtcNow();
        if (query.ActiveOnly)
        {
            // Expired is decided here, at answer time, not by a job (ADR 0023).
            where.Add("g.state = 'active' AND (g.expires_at IS NULL OR g.expires_at > @now)");
            parameters.Add(("@now", now.ToUnixTimeMilliseconds()));
        }

        if (query.EndingBefore is { } before)
        {
            where.Add("g.state = 'active' AND g.expires_at IS NOT NULL AND g.expires_at <= @before");
            parameters.Add(("@before", before.ToUnixTimeMilliseconds()));
        }

        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null,
            $"SELECT {Rows.GrantColumns} FROM grants g {Where(where)} ORDER BY g.id DESC LIMIT @limit", [.. parameters]);
        return await Rows.GrantsAsync(command, now, ct);
    }

    private static async Task<Grant?> ReadGrantAsync(DbConnection connection, DbTransaction? transaction, long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, $"SELECT {Rows.GrantColumns} FROM grants g WHERE g.id = @id", ("@id", id));
        return (await Rows.GrantsAsync(command, now, ct)).FirstOrDefault();
    }

    private static async Task<Grant?> ReadActiveGrantAsync(WriteScope scope, AccessKey key, CancellationToken ct)
    {
        await using var command = scope.Command(
            $"SELECT {Rows.GrantColumns} FROM grants g WHERE g.consumer = @c AND g.provider = @p AND g.scope = @s AND g.environment = @e AND g.state = 'active'",
            ("@c", key.Consumer), ("@p", key.Provider), ("@s", key.Scope), ("@e", key.Environment));
        return (await Rows.GrantsAsync(command, scope.At, ct)).FirstOrDefault();
    }

    /// <summary>
    /// Takes an ended grant out of the active slot when a renewal or replacement takes its place:
    /// its state becomes what every reader already answered since its end (ADR 0023).
    /// </summary>
    private static async Task MarkExpiredAsync(WriteScope scope, string by, Grant grant, string why, CancellationToken ct)
    {
        await scope.ExecuteAsync("UPDATE grants SET state = 'expired' WHERE id = @id AND state = 'active'", ct, ("@id", grant.Id));
        scope.Audit.Append(by, "grant.expired", Names.Subject(grant.Key), grant.Key.Consumer, grant.Key.Provider, why,
            StoreJson.Data(("grant", grant.Id), ("expiredAt", EndText(grant.ExpiresAt))));
    }

    private static async Task RevokeGrantAsync(WriteScope scope, string by, long grantId, AccessKey key, string? comment, CancellationToken ct)
    {
        await scope.ExecuteAsync(
            "UPDATE grants SET state = 'revoked', revoked_by = @by, revoked_at = @at, revoke_reason = @reason WHERE id = @id",
            ct, ("@by", by), ("@at", scope.Now), ("@reason", comment), ("@id", grantId));
        scope.Audit.Append(by, "grant.revoked", Names.Subject(key), key.Consumer, key.Provider, comment, StoreJson.Data(("grant", grantId)));
    }
}
