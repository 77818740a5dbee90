using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private string? _checkSql;

    /// <summary>
    /// The CI gate, benchmarked: two indexed queries for the whole batch (key states, then the
    /// approvers of the providers involved), each one cached statement whatever the batch size.
    /// </summary>
    public async Task<IReadOnlyList<AccessCheck>> CheckAsync(IReadOnlyList<AccessKey> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        _checkSql ??= $"""
            SELECT k.c, k.p, k.s, k.e, r.id, r.state, g.state, g.request_id
            FROM ({Engine.KeyValues("@keys")}) k
            LEFT JOIN requests r ON r.id = (SELECT MAX(x.id) FROM requests x
                WHERE x.consumer = k.c AND x.provider = k.p AND x.scope = k.s AND x.environment = k.e)
            LEFT JOIN grants g ON g.id = (SELECT MAX(y.id) FROM grants y
                WHERE y.consumer = k.c AND y.provider = k.p AND y.scope = k.s AND y.environment = k.e)
            """;
        var states = new Dictionary<AccessKey, (AccessState, long?)>();
        await using var lease = await Engine.OpenAsync(ct);
        await using (var command = Db.Command(lease.Connection, null, _checkSql, ("@keys", JsonParameters.Keys(keys.Distinct()))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                var requestState = reader.NullableString(5);
                var grantState = reader.NullableString(6);
                states[key] = AccessStateRules.Resolve(new KeyHistory(
                    reader.NullableInt64(4),
                    requestState is null ? null : Names.ToRequestState(requestState),
                    null,
                    null,
                    grantState is null ? null : Names.ToGrantState(grantState),
                    reader.NullableInt64(7),
                    null));
            }
        }

        var approvers = await OwnerUsersAsync(lease.Connection, null, keys.Select(k => k.Provider), ct);
        return [.. keys.Select(key =>
        {
            var (state, requestId) = states.GetValueOrDefault(key, (AccessState.NotRequested, null));
            return new AccessCheck(key, state, requestId, approvers.GetValueOrDefault(key.Provider) ?? []);
        })];
    }
}
