using System.Data.Common;
using Gatehouse.Storage.Changes;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// What differs between SQLite and PostgreSQL under the one relational store: connections,
/// the write lock, snapshots, list parameters, bulk writes and durability checks. Everything
/// else (schema, queries, the workflow) is shared SQL.
/// </summary>
internal abstract class StoreEngine : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>
    /// The database's audit key, set by <see cref="IGatehouseStore.MigrateAsync"/> and shared by
    /// every store on this engine; until then the store refuses to write.
    /// </summary>
    public Audit.AuditKey? AuditKey { get; set; }

    /// <summary>Whether the schema has the notification outbox (migration 12); set with <see cref="AuditKey"/>. Older schemas exist only in upgrade tests.</summary>
    public bool HasOutbox { get; set; }

    /// <summary>An open connection with the engine's per-connection settings applied.</summary>
    public abstract Task<ConnectionLease> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Opens a write transaction that holds the single write lock: every writer, in every
    /// replica, goes through the <c>audit_head</c> row, which totally orders the audit chain.
    /// Returns the chain head read under the lock.
    /// </summary>
    public abstract Task<(ConnectionLease Lease, DbTransaction Transaction, long HeadSeq, string HeadHash)> BeginWriteAsync(CancellationToken ct);

    /// <summary>
    /// A command for a read that every check or token lookup runs. Outside a transaction an engine
    /// may hand out a command kept prepared on the connection; dispose the result, not its command.
    /// </summary>
    public virtual ReadCommand Read(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        new(Db.Command(connection, transaction, sql, parameters), owned: true);

    /// <summary>A read-only transaction whose queries all see one consistent snapshot.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    /// <summary>A transaction that serializes migrations between processes starting at once.</summary>
    public abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Refuses to run on settings that can lose committed writes (throws, a misconfiguration).</summary>
    public abstract Task VerifyDurabilityAsync(CancellationToken ct);

    /// <summary>
    /// A condition: <paramref name="column"/> is one of the strings in a parameter holding a JSON
    /// array. Written so the engine can use the column's index whatever the list's length.
    /// </summary>
    public abstract string InTexts(string column, string parameter);

    /// <summary>A condition: <paramref name="column"/> is one of the numbers in a parameter holding a JSON array.</summary>
    public abstract string InIds(string column, string parameter);

    /// <summary>Rows <c>(c, p, s, e)</c> from a parameter holding a JSON array of [consumer, provider, scope, environment].</summary>
    public abstract string KeyValues(string parameter);

    /// <summary>Rows <c>(p, s)</c> from a parameter holding a JSON array of [provider, scope].</summary>
    public abstract string ScopeValues(string parameter);

    /// <summary>Inserts many rows with as few round trips as the engine allows.</summary>
    public abstract Task InsertManyAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>Runs one parameterized statement once per row of values.</summary>
    public abstract Task ExecuteManyAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<string> parameters, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>
    /// Drops <paramref name="indexes"/> until the end of the write transaction and returns the
    /// statements that build them again, to run before the commit; none where the engine should
    /// keep them. A bulk write that inserts in no order of an index's key builds it faster by one
    /// sort than row by row (ADR 0042). The base keeps them: on PostgreSQL, DROP INDEX would lock
    /// the table against every reader until the commit.
    /// </summary>
    public virtual Task<IReadOnlyList<string>> SuspendIndexesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> indexes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Commits a write of many pages through <paramref name="commit"/>; an engine may leave work
    /// that durability does not need (copying SQLite's write-ahead log into the database) to run
    /// after it (ADR 0046).
    /// </summary>
    public virtual Task CommitLargeAsync(DbConnection connection, Func<Task> commit) => commit();

    /// <summary>What tells this replica that the change version may have moved (ADR 0033).</summary>
    public abstract ChangeSignal Changes { get; }

    /// <summary>Runs in a write transaction that moved the change version to <paramref name="version"/>, just before its commit.</summary>
    public virtual Task SignalInTransactionAsync(DbConnection connection, DbTransaction transaction, long version, CancellationToken ct) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();
}
