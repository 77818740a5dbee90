using System.Collections.Concurrent;
using System.Data.Common;
using Gatehouse.Storage.Changes;
using Gatehouse.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// SQLite: one file, WAL, one writer at a time. Connections are kept open in a small pool of
/// our own so the pragmas are applied and verified once per physical connection, not per query.
/// </summary>
internal sealed class SqliteEngine : StoreEngine
{
    private const int MaxIdleConnections = 16;

    /// <summary>SQLite's default: a commit that leaves this many pages in the log copies them into the database.</summary>
    private const int DefaultAutoCheckpointPages = 1000;

    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    // In-process writers queue here instead of spinning on SQLITE_BUSY; BEGIN IMMEDIATE still
    // guards against another process writing the same file.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SqliteStatementCache _statements = new();
    private readonly Lock _checkpointLock = new();
    private Task _checkpoint = Task.CompletedTask;
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteEngine(string dataDirectory)
    {
        // Created private before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
        PrivateFiles.CreateFolder(dataDirectory);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, StorageOptions.SqliteFileName));
        PrivateFiles.CreateEmptyFile(FilePath);
        Changes = new SharedFileChangeSignal(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
    }

    public override string Name => "sqlite";

    public string FilePath { get; }

    public override ChangeSignal Changes { get; }

    public override Task<ConnectionLease> OpenAsync(CancellationToken ct) =>
        Task.FromResult(new ConnectionLease(Rent(), GiveBack, StoreTelemetry.Start("sqlite", "read")));

    public override ReadCommand Read(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        transaction is null
            ? new(_statements.Get((SqliteConnection)connection, sql, parameters), owned: false)
            : base.Read(connection, transaction, sql, parameters);

    public override async Task<(ConnectionLease Lease, DbTransaction Transaction, long HeadSeq, string HeadHash)> BeginWriteAsync(CancellationToken ct)
    {
        var activity = StoreTelemetry.Start("sqlite", "write");
        await _writeGate.WaitAsync(ct);
        SqliteConnection? connection = null;
        try
        {
            connection = Rent();
            var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now.
            var (seq, hash) = await ReadHeadAsync(connection, transaction, ct);
            var lease = new ConnectionLease(connection, async c =>
            {
                await GiveBack(c);
                _writeGate.Release();
            }, activity);
            return (lease, transaction, seq, hash);
        }
        catch
        {
            if (connection is not null)
            {
                await DisposeConnectionAsync(connection);
            }

            _writeGate.Release();
            activity?.Dispose();
            throw;
        }
    }

    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override async Task VerifyDurabilityAsync(CancellationToken ct)
    {
        // Opening applies and verifies the settings; a fresh connection makes sure of it.
        await using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteSettings.Apply(connection);

        // A server stopped before the checkpoint after a large push (below) left its log behind:
        // copied in and emptied now, at start-up, rather than by the first small write after it.
        await Db.ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)", ct);
    }

    /// <summary>
    /// A large commit (a push of a million grants writes gigabytes) would copy its whole log into
    /// the database before returning, the automatic checkpoint, with the writer and the pusher
    /// waiting. The commit is durable once the log is synced (synchronous=FULL, unchanged), so the
    /// copy runs on another connection after it, as a passive checkpoint that readers and writers
    /// do not wait for (ADR 0046). Disposing the engine waits for it; a server killed before it
    /// ends has it done at its next start (<see cref="VerifyDurabilityAsync"/>).
    /// </summary>
    public override async Task CommitLargeAsync(DbConnection connection, Func<Task> commit)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        SQLitePCL.raw.sqlite3_wal_autocheckpoint(handle, 0);
        try
        {
            await commit();
        }
        finally
        {
            SQLitePCL.raw.sqlite3_wal_autocheckpoint(handle, DefaultAutoCheckpointPages);
        }

        lock (_checkpointLock)
        {
            if (_checkpoint.IsCompleted && !_disposed)
            {
                _checkpoint = Task.Run(CheckpointAsync);
            }
        }
    }

    /// <summary>The checkpoint after the last large commit (completed when there is none).</summary>
    internal Task Checkpoint
    {
        get
        {
            lock (_checkpointLock)
            {
                return _checkpoint;
            }
        }
    }

    public override string InTexts(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override string InIds(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override string KeyValues(string parameter) =>
        $"SELECT json_extract(value, '$[0]') AS c, json_extract(value, '$[1]') AS p, json_extract(value, '$[2]') AS s, json_extract(value, '$[3]') AS e FROM json_each({parameter})";

    public override string ScopeValues(string parameter) =>
        $"SELECT json_extract(value, '$[0]') AS p, json_extract(value, '$[1]') AS s FROM json_each({parameter})";

    public override Task InsertManyAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var names = columns.Select(c => "@" + c).ToList();
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names)})";
        return ExecuteManyAsync(connection, transaction, sql, names, rows, ct);
    }

    /// <summary>
    /// SQLite's schema changes are transactional and readers keep the schema of their snapshot, so
    /// the indexes are gone only inside this transaction; a rollback brings them back as they were.
    /// </summary>
    public override async Task<IReadOnlyList<string>> SuspendIndexesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> indexes, CancellationToken ct)
    {
        var statements = new List<string>();
        foreach (var index in indexes)
        {
            if (await Db.ScalarAsync(connection, transaction, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @name", ct, ("@name", index)) is string sql)
            {
                await Db.ExecuteAsync(connection, transaction, $"DROP INDEX {index}", ct);
                statements.Add(sql);
            }
        }

        return statements;
    }

    /// <summary>In-process SQLite has no round trips: one prepared statement, bound by position and stepped per row.</summary>
    public override Task ExecuteManyAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<string> parameters, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        // The rows go to the handle under the connection's transaction, which the caller opened.
        ArgumentNullException.ThrowIfNull(transaction);
        using var statement = new SqliteBulkStatement((SqliteConnection)connection, sql, parameters);
        for (var i = 0; i < rows.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            statement.Run(rows[i]);
        }

        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        // A graceful stop lets the copy after a large push finish first (ADR 0046): marked
        // disposed before it, the checkpoint could find the engine closed and leave the log.
        await Checkpoint;
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            await DisposeConnectionAsync(connection);
        }

        await Changes.DisposeAsync();

        _writeGate.Dispose();
    }

    private async Task CheckpointAsync()
    {
        try
        {
            await using var lease = await OpenAsync(CancellationToken.None);
            await Db.ExecuteAsync(lease.Connection, null, "PRAGMA wal_checkpoint(PASSIVE)", CancellationToken.None);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            // Nothing is lost: the log is durable, and the next commit's automatic checkpoint copies it.
        }
    }

    private static async Task<(long Seq, string Hash)> ReadHeadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, "SELECT seq, hash FROM audit_head WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The audit_head row is missing: run MigrateAsync before using the store.");
        }

        return (reader.GetInt64(0), reader.GetString(1));
    }

    private SqliteConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteSettings.Apply(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async ValueTask GiveBack(DbConnection connection)
    {
        if (!_disposed && connection.State == System.Data.ConnectionState.Open)
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdleConnections)
            {
                _idle.Add((SqliteConnection)connection);
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        await DisposeConnectionAsync((SqliteConnection)connection);
    }

    private ValueTask DisposeConnectionAsync(SqliteConnection connection)
    {
        _statements.Forget(connection);
        return connection.DisposeAsync();
    }
}
