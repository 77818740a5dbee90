using System.Data.Common;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Notifications;

/// <summary>
/// <see cref="INotificationStore"/> on the store's engine. Every write here is a short
/// transaction under the store's write lock; a delivery's lease is taken by a conditional
/// update, so on PostgreSQL two replicas racing for one delivery see one winner (the loser's
/// update re-reads the row after the winner commits and no longer matches).
/// </summary>
internal sealed partial class RelationalNotificationStore(StoreEngine engine, TimeProvider time) : INotificationStore
{
    private const string EventColumns = "e.id, e.seq, e.type, e.subject, e.actor, e.app, e.provider_app, e.comment, e.data, e.context, e.occurred_at";

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int max, TimeSpan lease, IReadOnlyCollection<string>? together = null, CancellationToken ct = default)
    {
        // Read outside the write lock: an idle worker polls without blocking writers.
        var candidates = new List<string>();
        await using (var read = await engine.OpenAsync(ct))
        {
            // Due, not leased, and the oldest pending one for its subject and target; nothing
            // earlier is still unrouted (it could be an earlier event for the same subject). For a
            // target whose deliveries go out together (a daily digest), an earlier one that is due
            // now too does not hold a later one back: both are claimed, in order, for one message.
            var parameters = new List<(string, object?)> { ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("@max", (long)max) };
            var sendsTogether = "";
            if (together is { Count: > 0 })
            {
                var names = together.Select((target, i) => (Name: $"@together{i}", Target: target)).ToList();
                parameters.AddRange(names.Select(n => (n.Name, (object?)n.Target)));
                sendsTogether = $"""
                    AND (d.target NOT IN ({string.Join(", ", names.Select(n => n.Name))})
                         OR p.next_attempt_at > @now OR (p.lease_until IS NOT NULL AND p.lease_until >= @now))
                    """;
            }

            await using var command = Db.Command(read.Connection, null, $"""
                SELECT d.id FROM notification_deliveries d
                WHERE d.state = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)
                  AND NOT EXISTS (SELECT 1 FROM notification_deliveries p
                                  WHERE p.state = 'pending' AND p.target = d.target AND p.subject = d.subject AND p.seq < d.seq
                                  {sendsTogether})
                  AND NOT EXISTS (SELECT 1 FROM notification_events u WHERE u.routed_at IS NULL AND u.seq < d.seq)
                ORDER BY d.seq, d.id
                LIMIT @max
                """, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                candidates.Add(reader.GetString(0));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        return await WriteAsync(async (connection, transaction, now) =>
        {
            var claimed = new List<ClaimedDelivery>(candidates.Count);
            var until = now + (long)lease.TotalMilliseconds;
            foreach (var id in candidates)
            {
                var won = await Db.ExecuteAsync(connection, transaction, """
                    UPDATE notification_deliveries SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
                    WHERE id = @id AND state = 'pending' AND (lease_until IS NULL OR lease_until < @now)
                    """, ct, ("@owner", owner), ("@until", until), ("@id", id), ("@now", now));
                if (won != 1)
                {
                    continue;
                }

                await using var command = Db.Command(connection, transaction, $"""
                    SELECT d.id, d.target, d.attempts, {EventColumns}
                    FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id WHERE d.id = @id
                    """, ("@id", id));
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    claimed.Add(new ClaimedDelivery(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), ReadEvent(reader, 3)));
                }
            }

            return (IReadOnlyList<ClaimedDelivery>)claimed;
        }, ct);
    }

    public Task<bool> CompleteAsync(string deliveryId, string owner, CancellationToken ct = default) =>
        WriteAsync(async (connection, transaction, now) => await Db.ExecuteAsync(connection, transaction, """
            UPDATE notification_deliveries SET state = 'delivered', finished_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL
            WHERE id = @id AND state = 'pending' AND lease_owner = @owner
            """, ct, ("@now", now), ("@id", deliveryId), ("@owner", owner)) == 1, ct);

    public Task<int> CompleteAsync(IReadOnlyList<string> deliveryIds, string owner, CancellationToken ct = default) =>
        deliveryIds.Count == 0 ? Task.FromResult(0) : WriteAsync(async (connection, transaction, now) =>
        {
            var done = 0;
            foreach (var id in deliveryIds)
            {
                done += await Db.ExecuteAsync(connection, transaction, """
                    UPDATE notification_deliveries SET state = 'delivered', finished_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL
                    WHERE id = @id AND state = 'pending' AND lease_owner = @owner
                    """, ct, ("@now", now), ("@id", id), ("@owner", owner));
            }

            return done;
        }, ct);

    public Task<bool> FailAsync(string deliveryId, string owner, string error, DateTimeOffset? retryAt, CancellationToken ct = default) =>
        WriteAsync(async (connection, transaction, now) => await Db.ExecuteAsync(connection, transaction, """
            UPDATE notification_deliveries SET state = @state, next_attempt_at = @next, finished_at = @finished,
                lease_owner = NULL, lease_until = NULL, last_error = @error
            WHERE id = @id AND state = 'pending' AND lease_owner = @owner
            """, ct, ("@state", retryAt is null ? "dead" : "pending"), ("@next", retryAt?.ToUnixTimeMilliseconds() ?? now),
            ("@finished", retryAt is null ? now : null), ("@error", Truncate(error)), ("@id", deliveryId), ("@owner", owner)) == 1, ct);

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, """
            SELECT d.id, d.target, e.id, e.type, d.subject, d.attempts, d.last_error, d.created_at, d.finished_at
            FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
            WHERE d.state = 'dead' ORDER BY d.finished_at DESC, d.id LIMIT @limit
            """, ("@limit", (long)limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var dead = new List<DeadLetter>();
        while (await reader.ReadAsync(ct))
        {
            dead.Add(new DeadLetter(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt64(5), reader.NullableString(6), reader.Time(7), reader.NullableTime(8)));
        }

        return dead;
    }

    public Task<bool> RedeliverAsync(string deliveryId, CancellationToken ct = default) =>
        WriteAsync(async (connection, transaction, now) => await Db.ExecuteAsync(connection, transaction, """
            UPDATE notification_deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now, finished_at = NULL,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND state = 'dead'
            """, ct, ("@now", now), ("@id", deliveryId)) == 1, ct);

    public async Task<DeliveryCounts> CountAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT state, COUNT(*) FROM notification_deliveries GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(ct);
        long pending = 0, delivered = 0, dead = 0;
        while (await reader.ReadAsync(ct))
        {
            var count = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "pending": pending = count; break;
                case "delivered": delivered = count; break;
                default: dead = count; break;
            }
        }

        return new DeliveryCounts(pending, delivered, dead);
    }

    public Task<int> RecordExpiringCredentialsAsync(TimeSpan within, CancellationToken ct = default) =>
        WriteAsync(async (connection, transaction, now) =>
        {
            var tokens = new List<(string Id, string Kind, string Subject, long ExpiresAt)>();
            await using (var command = Db.Command(connection, transaction, """
                SELECT id, kind, subject, expires_at FROM tokens
                WHERE revoked_at IS NULL AND expires_at > @now AND expires_at <= @until ORDER BY expires_at, id
                """, ("@now", now), ("@until", now + (long)within.TotalMilliseconds)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    tokens.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                }
            }

            var head = Convert.ToInt64(await Db.ScalarAsync(connection, transaction, "SELECT seq FROM audit_head WHERE id = 1", ct), System.Globalization.CultureInfo.InvariantCulture);
            var written = 0;
            foreach (var (id, kind, subject, expiresAt) in tokens)
            {
                // The token's id, never its secret; once per token and expiry (a restart or a second replica writes nothing new).
                written += await Db.ExecuteAsync(connection, transaction, """
                    INSERT INTO notification_events (id, seq, type, subject, actor, app, provider_app, comment, data, occurred_at, dedup_key)
                    VALUES (@id, @seq, 'credential.expiring', @subject, 'gatehouse', @app, NULL, @comment, @data, @now, @dedup)
                    ON CONFLICT (dedup_key) DO NOTHING
                    """, ct, ("@id", NotificationOutbox.NewId("evt")), ("@seq", head), ("@subject", $"token/{id}"),
                    ("@app", kind == "deploy" ? subject : null),
                    ("@comment", $"{kind} token {id} of {subject} expires {DateTimeOffset.FromUnixTimeMilliseconds(expiresAt):yyyy-MM-dd HH:mm} UTC"),
                    ("@data", StoreJson.Data(("token", id), ("kind", kind), ("subject", subject), ("expiresAt", expiresAt))),
                    ("@now", now), ("@dedup", $"token:{id}:{expiresAt}"));
            }

            return written;
        }, ct);

    private static NotificationEvent ReadEvent(DbDataReader reader, int at) => new(
        reader.GetString(at), reader.GetInt64(at + 1), reader.GetString(at + 2), reader.GetString(at + 3), reader.GetString(at + 4),
        reader.NullableString(at + 5), reader.NullableString(at + 6), reader.NullableString(at + 7), reader.NullableString(at + 8),
        reader.NullableString(at + 9), reader.Time(at + 10));

    private static string Truncate(string error) => error.Length <= 500 ? error : error[..500];

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, long, Task<T>> work, CancellationToken ct)
    {
        var (lease, transaction, _, _) = await engine.BeginWriteAsync(ct);
        await using (lease)
        await using (transaction)
        {
            var result = await work(lease.Connection, transaction, time.GetUtcNow().ToUnixTimeMilliseconds());
            await transaction.CommitAsync(ct);
            return result;
        }
    }
}
