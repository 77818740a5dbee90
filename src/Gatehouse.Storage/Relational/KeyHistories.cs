using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Loads the latest request and the active grant of many access keys in one query: the state a
/// push reconciles against. Lookups by id are scalar subqueries on primary and partial-unique
/// indexes, so the plan is index probes per key whatever the planner guesses about list sizes.
/// </summary>
internal static class KeyHistories
{
    private const string SameKey = "g.consumer = lr.consumer AND g.provider = lr.provider AND g.scope = lr.scope AND g.environment = lr.environment AND g.state = 'active'";

    /// <param name="filter">A condition on the requests' <c>consumer, provider, scope, environment</c>.</param>
    public static string Sql(string filter) => $"""
        SELECT lr.consumer, lr.provider, lr.scope, lr.environment, lr.latest,
            (SELECT r.state FROM requests r WHERE r.id = lr.latest),
            (SELECT r.reason FROM requests r WHERE r.id = lr.latest),
            (SELECT g.id FROM grants g WHERE {SameKey}),
            (SELECT g.request_id FROM grants g WHERE {SameKey}),
            (SELECT gr.reason FROM grants g JOIN requests gr ON gr.id = g.request_id WHERE {SameKey}),
            (SELECT g.expires_at FROM grants g WHERE {SameKey})
        FROM (SELECT consumer, provider, scope, environment, MAX(id) AS latest FROM requests
              WHERE {filter} GROUP BY consumer, provider, scope, environment) lr
        ORDER BY lr.consumer, lr.provider, lr.scope, lr.environment
        """;

    public static async Task<List<(AccessKey Key, KeyHistory History)>> ReadAsync(DbCommand command, CancellationToken ct)
    {
        var result = new List<(AccessKey, KeyHistory)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            result.Add((key, new KeyHistory(
                reader.GetInt64(4),
                Names.ToRequestState(reader.GetString(5)),
                reader.GetString(6),
                reader.NullableInt64(7),
                reader.NullableInt64(8),
                reader.NullableString(9),
                reader.NullableTime(10))));
        }

        return result;
    }
}
