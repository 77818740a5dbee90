using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

/// <summary>Column lists and mappers shared by the queries that return requests and grants.</summary>
internal static class Rows
{
    public const string RequestColumns =
        "r.id, r.consumer, r.provider, r.scope, r.environment, r.reason, r.state, r.required_approval, r.requested_by, r.requested_at, r.decided_at, r.decided_by";

    public const string GrantColumns =
        "g.id, g.request_id, g.consumer, g.provider, g.scope, g.environment, g.state, g.granted_by, g.granted_at, g.revoked_by, g.revoked_at, g.revoke_reason, g.expires_at, g.emergency";

    public static (AccessRequest Request, string? DecidedBy) Request(DbDataReader reader) => (new AccessRequest(
        reader.GetInt64(0),
        new AccessKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
        reader.GetString(5),
        Names.ToRequestState(reader.GetString(6)),
        Names.ToApprovalMode(reader.GetString(7)),
        reader.GetString(8),
        reader.Time(9),
        reader.NullableTime(10),
        []), reader.NullableString(11));

    /// <param name="now">The time of the answer: a grant still marked active whose end has passed reads as expired (ADR 0023).</param>
    public static Grant Grant(DbDataReader reader, DateTimeOffset now)
    {
        var expiresAt = reader.NullableTime(12);
        var state = Names.ToGrantState(reader.GetString(6));
        return new(
            reader.GetInt64(0),
            reader.GetInt64(1),
            new AccessKey(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)),
            state == GrantState.Active && GrantLifetime.HasEnded(expiresAt, now) ? GrantState.Expired : state,
            reader.GetString(7),
            reader.Time(8),
            reader.NullableString(9),
            reader.NullableTime(10),
            reader.NullableString(11))
        {
            ExpiresAt = expiresAt,
            Emergency = Convert.ToInt64(reader.GetValue(13), System.Globalization.CultureInfo.InvariantCulture) != 0,
        };
    }

    public static async Task<List<Grant>> GrantsAsync(DbCommand command, DateTimeOffset now, CancellationToken ct)
    {
        var grants = new List<Grant>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            grants.Add(Grant(reader, now));
        }

        return grants;
    }
}
