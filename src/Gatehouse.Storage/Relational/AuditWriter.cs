using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Appends hash-chained events inside a write transaction, continuing from the head read
/// under the write lock; the rows and the new head are written together at commit.
/// </summary>
internal sealed class AuditWriter(long headSeq, string headHash, long now, string? correlationId, AuditKey key) : IDisposable
{
    private static readonly string[] Columns =
        ["seq", "occurred_at", "actor", "action", "subject", "app", "provider_app", "comment", "correlation_id", "data", "previous_hash", "hash"];

    private readonly List<object?[]> _rows = [];
    private readonly List<object?[]> _notifications = [];
    private readonly AuditEventHasher? _hasher = key.CreateHasher();
    private readonly object _now = now; // boxed once: every row of the transaction holds the same time
    private long _seq = headSeq;
    private string _hash = headHash;

    public int Count => _rows.Count;

    /// <summary>The sequence number of the last event appended: the change version once committed.</summary>
    public long Seq => _seq;

    /// <param name="app">The app concerned (the consumer for request and grant events), for filtering.</param>
    /// <param name="providerApp">The providing app of request and grant events, for filtering.</param>
    public void Append(string actor, string action, string subject, string? app, string? providerApp = null, string? comment = null, string? data = null)
    {
        var seq = _seq + 1;
        var hash = _hasher?.Hash(seq, now, actor, action, subject, app, providerApp, comment, correlationId, data, _hash)
            ?? key.Hash(new AuditEvent(seq, DateTimeOffset.FromUnixTimeMilliseconds(now), actor, action, subject, app, providerApp, comment, correlationId, data, _hash, string.Empty));
        _rows.Add([seq, _now, actor, action, subject, app, providerApp, comment, correlationId, data, _hash, hash]);
        if (Notifications.NotificationOutbox.Reports(action))
        {
            // The outbox row commits or rolls back with the change it reports (ADR 0019).
            _notifications.Add(Notifications.NotificationOutbox.Row(seq, now, actor, action, subject, app, providerApp, comment, data));
        }

        _seq = seq;
        _hash = hash;
    }

    public Task FlushAsync(WriteScope scope, CancellationToken ct) => FlushAsync(scope.Engine, scope.Connection, scope.Transaction, ct);

    public async Task FlushAsync(StoreEngine engine, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        await engine.InsertManyAsync(connection, transaction, "audit_events", Columns, _rows, ct);
        await Db.ExecuteAsync(connection, transaction, "UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", ct, ("@seq", _seq), ("@hash", _hash));
        _rows.Clear();
        if (_notifications.Count > 0 && engine.HasOutbox)
        {
            await engine.InsertManyAsync(connection, transaction, "notification_events", Notifications.NotificationOutbox.Columns, _notifications, ct);
            _notifications.Clear();
        }
    }

    public void Dispose() => _hasher?.Dispose();
}
