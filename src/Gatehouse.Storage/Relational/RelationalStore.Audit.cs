using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private const string AuditColumns = "seq, occurred_at, actor, action, subject, comment, correlation_id, data, previous_hash, hash";

    public async Task<IReadOnlyList<AuditEvent>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", (long)Math.Clamp(query.Limit, 1, 10_000)) };
        if (query.App is { } app)
        {
            where.Add("(app = @app OR provider_app = @app)");
            parameters.Add(("@app", app));
        }

        Filter(where, parameters, "actor", query.Actor);
        Filter(where, parameters, "action", query.Action);
        Range(where, parameters, "occurred_at >= @since", "@since", query.Since?.ToUnixTimeMilliseconds());
        Range(where, parameters, "occurred_at < @until", "@until", query.Until?.ToUnixTimeMilliseconds());
        Range(where, parameters, "seq > @after", "@after", query.AfterSeq);

        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {AuditColumns} FROM audit_events {Where(where)} ORDER BY seq LIMIT @limit", [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    /// <summary>Streams the chain in seq order (constant memory) from one snapshot, then checks the head.</summary>
    public async Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var snapshot = await Engine.BeginSnapshotAsync(lease.Connection, ct);
        var verifier = new AuditChainVerifier();
        await using (var command = Db.Command(lease.Connection, snapshot, $"SELECT {AuditColumns} FROM audit_events ORDER BY seq"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct) && verifier.Accept(ReadEvent(reader)))
            {
            }
        }

        await using (var command = Db.Command(lease.Connection, snapshot, "SELECT seq, hash FROM audit_head WHERE id = 1"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                verifier.Finish(reader.GetInt64(0), reader.GetString(1));
            }
        }

        return new AuditVerification(verifier.IsValid, verifier.EventCount, verifier.FirstBrokenSeq, verifier.Problem);
    }

    private static AuditEvent ReadEvent(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.Time(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.NullableString(5),
        reader.NullableString(6),
        reader.NullableString(7),
        reader.GetString(8),
        reader.GetString(9));

    private static void Range(List<string> where, List<(string, object?)> parameters, string condition, string name, long? value)
    {
        if (value is { } v)
        {
            where.Add(condition);
            parameters.Add((name, v));
        }
    }
}
