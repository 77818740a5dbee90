using System.Data.Common;
using Gatehouse.Storage.Changes;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// One write transaction holding the write lock, with the audit events it appends. Nothing is
/// visible to others until <see cref="CommitAsync"/>; disposing without it rolls back.
/// </summary>
internal sealed class WriteScope : IAsyncDisposable
{
    private readonly ConnectionLease _lease;

    private WriteScope(StoreEngine engine, ConnectionLease lease, DbTransaction transaction, AuditWriter audit, long now)
    {
        Engine = engine;
        _lease = lease;
        Transaction = transaction;
        Audit = audit;
        Now = now;
    }

    public StoreEngine Engine { get; }

    public DbConnection Connection => _lease.Connection;

    public DbTransaction Transaction { get; }

    public AuditWriter Audit { get; }

    /// <summary>The transaction's time (unix ms), shared by every row and event it writes.</summary>
    public long Now { get; }

    /// <summary><see cref="Now"/> as a time.</summary>
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(Now);

    public static async Task<WriteScope> BeginAsync(StoreEngine engine, TimeProvider time, string? correlationId, CancellationToken ct)
    {
        // Fail closed: without the audit key nothing is written, so no event goes unkeyed.
        var key = engine.AuditKey ?? throw new InvalidOperationException("The audit key is not loaded: call MigrateAsync before writing to the store.");
        var (lease, transaction, headSeq, headHash) = await engine.BeginWriteAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new WriteScope(engine, lease, transaction, new AuditWriter(headSeq, headHash, now, correlationId, key), now);
    }

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters) =>
        Db.Command(Connection, Transaction, sql, parameters);

    public Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        Db.ExecuteAsync(Connection, Transaction, sql, ct, parameters);

    public Task<object?> ScalarAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        Db.ScalarAsync(Connection, Transaction, sql, ct, parameters);

    public Task InsertManyAsync(string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct) =>
        rows.Count == 0 ? Task.CompletedTask : Engine.InsertManyAsync(Connection, Transaction, table, columns, rows, ct);

    public Task ExecuteManyAsync(string sql, IReadOnlyList<string> parameters, IReadOnlyList<object?[]> rows, CancellationToken ct) =>
        rows.Count == 0 ? Task.CompletedTask : Engine.ExecuteManyAsync(Connection, Transaction, sql, parameters, rows, ct);

    public async Task CommitAsync(CancellationToken ct)
    {
        // Only audited changes move the change version, so only they are signalled (ADR 0033).
        var moved = Audit.Count > 0;
        await Audit.FlushAsync(this, ct);
        if (moved)
        {
            await Engine.SignalInTransactionAsync(Connection, Transaction, Audit.Seq, ct);
        }

        await Transaction.CommitAsync(ct);
        if (moved)
        {
            Engine.Changes.Committed(Audit.Seq);
            ChangeTokens.Committed(Audit.Seq);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await _lease.DisposeAsync();
        Audit.Dispose();
    }
}
