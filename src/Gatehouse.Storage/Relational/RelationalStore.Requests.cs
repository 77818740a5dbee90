using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private string? _votesSql;

    public async Task<IReadOnlyList<AccessRequest>> ListRequestsAsync(RequestQuery query, CancellationToken ct = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", (long)Math.Clamp(query.Limit, 1, 5000)) };
        Filter(where, parameters, "r.provider", query.Provider);
        Filter(where, parameters, "r.consumer", query.Consumer);
        Filter(where, parameters, "r.environment", query.Environment);
        Filter(where, parameters, "r.state", query.State is { } state ? Names.Of(state) : null);
        if (query.ApproverUser is { } approver)
        {
            // An owner's inbox: requests for the apps she owns directly or through a team.
            where.Add("""
                r.provider IN (SELECT o.app FROM app_owners o
                               WHERE (o.kind = 'user' AND o.name = @approver)
                                  OR (o.kind = 'team' AND o.name IN (SELECT m.team FROM team_members m WHERE m.user_name = @approver)))
                """);
            parameters.Add(("@approver", approver));
        }

        var sql = $"SELECT {Rows.RequestColumns} FROM requests r {Where(where)} ORDER BY r.id DESC LIMIT @limit";
        await using var lease = await Engine.OpenAsync(ct);
        var rows = await ReadRequestsAsync(lease.Connection, null, sql, [.. parameters], ct);
        return [.. rows.Select(r => r.Request)];
    }

    public async Task<AccessRequest?> GetRequestAsync(long id, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        return (await ReadRequestAsync(lease.Connection, null, id, ct))?.Request;
    }

    private async Task<(AccessRequest Request, string? DecidedBy)?> ReadRequestAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken ct)
    {
        var rows = await ReadRequestsAsync(connection, transaction, $"SELECT {Rows.RequestColumns} FROM requests r WHERE r.id = @id", [("@id", id)], ct);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Requests, their votes and the people behind them: three queries whatever the number of requests.</summary>
    private async Task<List<(AccessRequest Request, string? DecidedBy)>> ReadRequestsAsync(
        DbConnection connection, DbTransaction? transaction, string sql, (string, object?)[] parameters, CancellationToken ct)
    {
        var rows = new List<(AccessRequest Request, string? DecidedBy)>();
        await using (var command = Db.Command(connection, transaction, sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add(Rows.Request(reader));
            }
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        var votes = new Dictionary<long, List<ApprovalVote>>();
        _votesSql ??= $"SELECT request_id, approver, approve, comment, voted_at FROM request_votes WHERE {Engine.InIds("request_id", "@ids")} ORDER BY request_id, voted_at, approver";
        await using (var command = Db.Command(connection, transaction, _votesSql, ("@ids", JsonParameters.Ids(rows.Select(r => r.Request.Id)))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var requestId = reader.GetInt64(0);
                if (!votes.TryGetValue(requestId, out var list))
                {
                    votes[requestId] = list = [];
                }

                list.Add(new ApprovalVote(reader.GetString(1), reader.GetInt64(2) == 1, reader.NullableString(3), reader.Time(4)));
            }
        }

        var people = await ReadPeopleAsync(connection, transaction, rows.Select(r => r.Request.Id), ct);
        return [.. rows.Select(r => (r.Request with
        {
            Votes = votes.TryGetValue(r.Request.Id, out var v) ? v : r.Request.Votes,
            People = people.TryGetValue(r.Request.Id, out var p) ? p : r.Request.People,
        }, r.DecidedBy))];
    }

    private static void Filter(List<string> where, List<(string, object?)> parameters, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        var name = "@" + column[(column.IndexOf('.', StringComparison.Ordinal) + 1)..];
        where.Add($"{column} = {name}");
        parameters.Add((name, value));
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
}
