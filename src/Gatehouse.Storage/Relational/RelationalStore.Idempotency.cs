namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private static readonly long IdempotencyWindowMs = (long)TimeSpan.FromHours(24).TotalMilliseconds;

    public async Task<StoredResponse?> GetIdempotentResponseAsync(string actor, string key, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, """
            SELECT status_code, content_type, body, fingerprint FROM idempotency_keys
            WHERE actor = @actor AND idempotency_key = @key AND created_at > @cutoff
            """, ("@actor", actor), ("@key", key), ("@cutoff", Now - IdempotencyWindowMs));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new StoredResponse((int)reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    /// <summary>
    /// Not a state change, so no audit event and no write lock. The first response for a key
    /// wins; entries older than 24 h are dropped as new ones arrive.
    /// </summary>
    public async Task SaveIdempotentResponseAsync(string actor, string key, StoredResponse response, CancellationToken ct = default)
    {
        var now = Now;
        await using var lease = await Engine.OpenAsync(ct);
        await using var transaction = await lease.Connection.BeginTransactionAsync(ct);
        await Db.ExecuteAsync(lease.Connection, transaction, "DELETE FROM idempotency_keys WHERE created_at <= @cutoff", ct, ("@cutoff", now - IdempotencyWindowMs));
        await Db.ExecuteAsync(lease.Connection, transaction, """
            INSERT INTO idempotency_keys (actor, idempotency_key, fingerprint, status_code, content_type, body, created_at)
            VALUES (@actor, @key, @fingerprint, @status, @type, @body, @at)
            ON CONFLICT (actor, idempotency_key) DO NOTHING
            """, ct, ("@actor", actor), ("@key", key), ("@fingerprint", response.RequestFingerprint), ("@status", (long)response.StatusCode),
            ("@type", response.ContentType), ("@body", response.Body), ("@at", now));
        await transaction.CommitAsync(ct);
    }
}
