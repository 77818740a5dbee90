using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private string? _checkSql;

    /// <summary>
    /// The CI gate, benchmarked: two indexed queries for the whole batch (key states, then the
    /// approvers of the providers involved), each one cached statement whatever the batch size.
    /// Each answer carries its grant's end and is taken at the current time (<see cref="AccessCheck.At"/>);
    /// a cache re-applies the clock to what it kept.
    /// </summary>
    public async Task<IReadOnlyList<AccessCheck>> CheckAsync(IReadOnlyList<AccessKey> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        // Scalar subqueries only: per key, two probes of the requests key index and one of the
        // active-grant partial index. No join for a planner to turn into a table scan.
        _checkSql ??= $"""
            SELECT k.c, k.p, k.s, k.e,
                (SELECT x.id FROM requests x WHERE {SameKey("x")} ORDER BY x.id DESC LIMIT 1),
                (SELECT x.state FROM requests x WHERE {SameKey("x")} ORDER BY x.id DESC LIMIT 1),
                (SELECT g.request_id FROM grants g WHERE {SameKey("g")} AND g.state = 'active'),
                (SELECT g.expires_at FROM grants g WHERE {SameKey("g")} AND g.state = 'active')
            FROM ({Engine.KeyValues("@keys")}) k
            """;
        var states = new Dictionary<AccessKey, (AccessState State, long? RequestId, DateTimeOffset? ExpiresAt, long? PendingRequestId)>();
        await using var lease = await Engine.OpenAsync(ct);
        await using (var read = Engine.Read(lease.Connection, null, _checkSql, ("@keys", JsonParameters.Keys(keys.Distinct()))))
        await using (var reader = await read.Command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                var requestState = reader.NullableString(5);
                var history = new KeyHistory(
                    reader.NullableInt64(4),
                    requestState is null ? null : Names.ToRequestState(requestState),
                    null,
                    null,
                    reader.NullableInt64(6),
                    null,
                    reader.NullableTime(7));
                var (state, requestId) = AccessStateRules.Resolve(history);
                states[key] = (state, requestId, history.ActiveGrantExpiresAt,
                    history.HasActiveGrant && history.HasPendingRequest ? history.LatestRequestId : null);
            }
        }

        var approvers = await OwnerUsersAsync(lease.Connection, null, keys.Select(k => k.Provider), ct);
        var now = time.GetUtcNow();
        return [.. keys.Select(key =>
        {
            var (state, requestId, expiresAt, pending) = states.GetValueOrDefault(key, (AccessState.NotRequested, null, null, null));
            return new AccessCheck(key, state, requestId, approvers.GetValueOrDefault(key.Provider) ?? [])
            {
                ExpiresAt = expiresAt,
                PendingRequestId = pending,
            }.At(now);
        })];
    }

    public ValueTask<long> ChangeVersionAsync(ChangeConsistency consistency, CancellationToken ct = default)
    {
        if (consistency.IsFull || (consistency.AtLeast > 0 && !(Engine.Changes.KnownVersion() >= consistency.AtLeast)))
        {
            return new(ChangeVersionAsync(ct));
        }

        return Engine.Changes.VersionAsync(_readVersion ??= ChangeVersionAsync, ct);
    }

    public async Task<long> ChangeVersionAsync(CancellationToken ct = default)
    {
        // Read before each cached check and token lookup: one primary-key read, kept prepared on SQLite.
        await using var lease = await Engine.OpenAsync(ct);
        await using var read = Engine.Read(lease.Connection, null, "SELECT seq FROM audit_head WHERE id = 1");
        return Convert.ToInt64(await read.Command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Func<CancellationToken, Task<long>>? _readVersion;

    private static string SameKey(string alias) =>
        $"{alias}.consumer = k.c AND {alias}.provider = k.p AND {alias}.scope = k.s AND {alias}.environment = k.e";
}
