using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Loads the latest request and latest grant of many access keys in one query, grouped by key:
/// the state a push reconciles against.
/// </summary>
internal static class KeyHistories
{
    /// <param name="filter">A condition on <c>consumer, provider, scope, environment</c> (the same for requests and grants).</param>
    public static string Sql(string filter) => $"""
        SELECT r.consumer, r.provider, r.scope, r.environment, r.id, r.state, r.reason, g.id, g.state, g.request_id, gr.reason
        FROM (SELECT consumer, provider, scope, environment, MAX(id) AS latest FROM requests
              WHERE {filter} GROUP BY consumer, provider, scope, environment) lr
        JOIN requests r ON r.id = lr.latest
        LEFT JOIN (SELECT consumer, provider, scope, environment, MAX(id) AS latest FROM grants
                   WHERE {filter} GROUP BY consumer, provider, scope, environment) lg
            ON lg.consumer = lr.consumer AND lg.provider = lr.provider AND lg.scope = lr.scope AND lg.environment = lr.environment
        LEFT JOIN grants g ON g.id = lg.latest
        LEFT JOIN requests gr ON gr.id = g.request_id
        ORDER BY r.consumer, r.provider, r.scope, r.environment
        """;

    public static async Task<List<(AccessKey Key, KeyHistory History)>> ReadAsync(DbCommand command, CancellationToken ct)
    {
        var result = new List<(AccessKey, KeyHistory)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            var grantState = reader.NullableString(8);
            result.Add((key, new KeyHistory(
                reader.GetInt64(4),
                Names.ToRequestState(reader.GetString(5)),
                reader.GetString(6),
                reader.NullableInt64(7),
                grantState is null ? null : Names.ToGrantState(grantState),
                reader.NullableInt64(9),
                reader.NullableString(10))));
        }

        return result;
    }
}
