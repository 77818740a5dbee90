using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Gatehouse.Storage.Changes;
using Gatehouse.Storage.Relational;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// PostgreSQL, shared by several server replicas. Writers serialize on the <c>audit_head</c> row
/// (SELECT ... FOR UPDATE), bulk writes go as multi-row VALUES and batches, and hot statements
/// are auto-prepared by Npgsql.
/// </summary>
internal sealed class PostgresEngine : StoreEngine
{
    // Any constant: it names the advisory lock migrations hold, across every replica.
    private const long MigrationLockKey = 0x6761_7465_686f_7573;
    private const int MaxRowsPerInsert = 1000;
    private const int MaxParametersPerInsert = 30_000;
    private const int MaxCommandsPerBatch = 500;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresEngine(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // Check and the writer's lookups run the same few statements all day: let Npgsql prepare them.
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        _dataSource = NpgsqlDataSource.Create(builder);
        Changes = new PostgresChangeSignal(_dataSource);
    }

    public override string Name => "postgresql";

    public override ChangeSignal Changes { get; }

    /// <summary>PostgreSQL delivers the notification to every listening replica when the transaction commits, and never if it rolls back.</summary>
    public override Task SignalInTransactionAsync(DbConnection connection, DbTransaction transaction, long version, CancellationToken ct) =>
        Db.ExecuteAsync(connection, transaction, "SELECT pg_notify(@channel, @version)", ct,
            ("@channel", PostgresChangeSignal.Channel), ("@version", version.ToString(CultureInfo.InvariantCulture)));

    public override async Task<ConnectionLease> OpenAsync(CancellationToken ct) =>
        new(await _dataSource.OpenConnectionAsync(ct), c => c.DisposeAsync());

    public override async Task<(ConnectionLease Lease, DbTransaction Transaction, long HeadSeq, string HeadHash)> BeginWriteAsync(CancellationToken ct)
    {
        var lease = await OpenAsync(ct);
        try
        {
            // Read committed is enough: every writer holds the head row lock, so once we have it
            // every earlier write is committed and visible to our statements.
            var transaction = await ((NpgsqlConnection)lease.Connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            await using var command = Db.Command(lease.Connection, transaction, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException("The audit_head row is missing: run MigrateAsync before using the store.");
            }

            return (lease, transaction, reader.GetInt64(0), reader.GetString(1));
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await Db.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ct, ("@key", MigrationLockKey));
        return transaction;
    }

    public override async Task VerifyDurabilityAsync(CancellationToken ct)
    {
        await using var lease = await OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT current_setting('synchronous_commit'), current_setting('fsync')");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var problems = PostgresDurability.Problems(reader.GetString(0), reader.GetString(1));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(PostgresDurability.Message(problems));
        }
    }

    // "= ANY(ARRAY(...))" rather than "IN (SELECT ...)": the planner guesses a set-returning
    // function yields 100 rows and would hash-join a whole table; an array lets it probe the index.
    public override string InTexts(string column, string parameter) =>
        $"{column} = ANY(ARRAY(SELECT json_array_elements_text(CAST({parameter} AS json))))";

    public override string InIds(string column, string parameter) =>
        $"{column} = ANY(ARRAY(SELECT CAST(json_array_elements_text(CAST({parameter} AS json)) AS BIGINT)))";

    public override string KeyValues(string parameter) =>
        $"SELECT k->>0 AS c, k->>1 AS p, k->>2 AS s, k->>3 AS e FROM json_array_elements(CAST({parameter} AS json)) AS k";

    public override string ScopeValues(string parameter) =>
        $"SELECT k->>0 AS p, k->>1 AS s FROM json_array_elements(CAST({parameter} AS json)) AS k";

    /// <summary>Multi-row VALUES: one round trip per thousand rows instead of one per row.</summary>
    public override async Task InsertManyAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var rowsPerChunk = Math.Max(1, Math.Min(MaxRowsPerInsert, MaxParametersPerInsert / columns.Count));
        foreach (var chunk in rows.Chunk(rowsPerChunk))
        {
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            await using var command = Db.Command(connection, transaction, "");
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                    sql.Append(c == 0 ? name : ", " + name);
                    Db.Add(command, name, chunk[r][c]);
                }

                sql.Append(')');
            }

#pragma warning disable CA2100 // Table and column names are constants of this assembly; values are parameters.
            command.CommandText = sql.ToString();
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>An Npgsql batch: many statements, one round trip.</summary>
    public override async Task ExecuteManyAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<string> parameters, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(MaxCommandsPerBatch))
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
            foreach (var row in chunk)
            {
                var command = new NpgsqlBatchCommand(sql);
                for (var i = 0; i < parameters.Count; i++)
                {
                    command.Parameters.Add(new NpgsqlParameter(parameters[i], row[i] ?? DBNull.Value));
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await Changes.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
