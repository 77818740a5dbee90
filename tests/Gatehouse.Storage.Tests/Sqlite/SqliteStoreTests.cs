using System.Text;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Sqlite;
using Gatehouse.Storage.Tests.Contract;
using Gatehouse.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Tests.Sqlite;

/// <summary>The contract on a real SQLite file in a temporary folder, one database per test.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gatehouse-storage-tests", Guid.NewGuid().ToString("n"));
    private int _databases;

    protected override bool SignalsOtherReplicasAtOnce => true;

    protected override string ListTablesSql => "SELECT name FROM sqlite_master WHERE type = 'table'";

    // A folder that does not exist yet: the store creates it.
    protected override Task<StorageOptions> NewDatabaseAsync() =>
        Task.FromResult(new StorageOptions { DataDirectory = Path.Combine(_root, $"db{++_databases}", "data") });

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Also the raw bytes of the database file and its WAL, where a table dump cannot look.</summary>
    internal override async Task<string> ReadEverythingAsync(RelationalStore store)
    {
        var text = new StringBuilder(await base.ReadEverythingAsync(store));
        var path = ((SqliteEngine)store.Engine).FilePath;
        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    [Fact]
    public async Task Every_connection_runs_in_wal_with_full_sync_a_busy_timeout_and_foreign_keys()
    {
        var engine = (SqliteEngine)Store.Engine;
        Assert.Equal(Path.Combine(Options.SqlitePath), engine.FilePath);
        Assert.True(File.Exists(engine.FilePath));

        await using var first = await engine.OpenAsync(default);
        await using var second = await engine.OpenAsync(default);

        foreach (var lease in new[] { first, second })
        {
            var settings = SqliteSettings.Read((SqliteConnection)lease.Connection);
            Assert.Equal(("wal", 2L, 1L, 5000L), (settings.JournalMode, settings.Synchronous, settings.ForeignKeys, settings.BusyTimeoutMs));
            Assert.Empty(settings.Problems());
        }
    }

    [Fact]
    public async Task A_fresh_data_folder_and_its_database_are_readable_by_their_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes
        }

        await PushOrganisationAsync(); // a write, so the WAL and shared-memory files exist too

        var path = ((SqliteEngine)Store.Engine).FilePath;
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(Options.DataDirectory));
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal((file, PrivateFiles.FileMode), (file, File.GetUnixFileMode(file)));
        }
    }

    [Fact]
    public async Task An_existing_data_folder_keeps_the_mode_its_operator_gave_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes
        }

        const UnixFileMode shared = PrivateFiles.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        var folder = Path.Combine(_root, "operator-made");
        Directory.CreateDirectory(folder, shared);

        var store = await OpenStoreAsync(new StorageOptions { DataDirectory = folder });

        Assert.Equal(shared, File.GetUnixFileMode(folder));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(((SqliteEngine)store.Engine).FilePath));
    }

    [Fact]
    public async Task A_database_written_by_Gatehouse_0_1_is_rechained_under_the_audit_key_and_verifies()
    {
        var options = await NewDatabaseAsync();
        Directory.CreateDirectory(options.DataDirectory);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1-audit", "gatehouse.db"), options.SqlitePath);

        var store = await OpenStoreAsync(options);
        var events = await store.ReadAuditAsync(new AuditQuery(Limit: 100));
        var verification = await store.VerifyAuditAsync();

        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(13, verification.EventCount);
        Assert.Equal(("user:carol", "grant.revoked", "billing", "customers"), (events[11].Actor, events[11].Action, events[11].App, events[11].ProviderApp));
        var record = events[12];
        Assert.Equal("audit.rechained", record.Action);
        Assert.Contains("\"events\":12", record.Data, StringComparison.Ordinal);
        Assert.Contains("\"previousHeadHash\":\"1c25924005b5ca46a6b51b11bbae0a15823dc3ac06dabbcdc51ac70ca778e3c2\"", record.Data, StringComparison.Ordinal);
        Assert.Contains("\"previousChain\":\"verified\"", record.Data, StringComparison.Ordinal);

        // The edit the unkeyed version 1 hash could not see: the revocation moved out of both apps' history.
        await using (var file = new SqliteConnection($"Data Source={options.SqlitePath}"))
        {
            await file.OpenAsync();
            await using var update = file.CreateCommand();
            update.CommandText = "UPDATE audit_events SET app = NULL, provider_app = NULL WHERE seq = 12";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var moved = await store.VerifyAuditAsync();

        Assert.Equal((false, 12L), (moved.Valid, moved.FirstBrokenSeq));
        Assert.DoesNotContain(await store.ReadAuditAsync(new AuditQuery(App: "customers")), e => e.Seq == 12);
    }

    [Fact]
    public async Task Indexes_a_large_push_suspends_come_back_as_they_were_on_rollback_and_once_rebuilt()
    {
        var engine = (SqliteEngine)Store.Engine;
        string[] indexes = ["ix_requests_provider", "ix_grants_provider", "ix_audit_events_provider_app"];
        var before = await IndexSqlAsync(engine, indexes);
        Assert.Equal(3, before.Count);

        var (lease, transaction, _, _) = await engine.BeginWriteAsync(default);
        await using (lease)
        {
            var rebuild = await engine.SuspendIndexesAsync(lease.Connection, transaction, indexes, default);
            Assert.Equal(before.Values.Order(StringComparer.Ordinal), rebuild.Order(StringComparer.Ordinal));
            Assert.Empty(await IndexSqlAsync(lease.Connection, transaction, indexes));
            await transaction.RollbackAsync();
        }

        Assert.Equal(before, await IndexSqlAsync(engine, indexes));

        (lease, transaction, _, _) = await engine.BeginWriteAsync(default);
        await using (lease)
        {
            foreach (var sql in await engine.SuspendIndexesAsync(lease.Connection, transaction, indexes, default))
            {
                await Db.ExecuteAsync(lease.Connection, transaction, sql, default);
            }

            await transaction.CommitAsync();
        }

        Assert.Equal(before, await IndexSqlAsync(engine, indexes));
    }

    [Fact]
    public async Task A_large_commit_leaves_the_copy_of_its_log_to_a_checkpoint_after_it_and_the_copy_is_whole()
    {
        var engine = (SqliteEngine)Store.Engine;
        var autoCheckpointAfter = await CommitLargeAsync(engine);
        Assert.Equal(1000L, autoCheckpointAfter);

        // The checkpoint after it copied the 12 MB of the log into the database file.
        await engine.Checkpoint;
        Assert.True(new FileInfo(engine.FilePath).Length > 12_000_000, $"the database file is {new FileInfo(engine.FilePath).Length} bytes");
        var (busy, log, copied) = await CheckpointAsync(engine, "PASSIVE");
        Assert.Equal((0L, log), (busy, copied));

        // A server opened on the file after it sees every row.
        var other = await OpenStoreAsync(Options);
        await using var read = await other.Engine.OpenAsync(default);
        Assert.Equal(3_000L, await Db.ScalarAsync(read.Connection, null, "SELECT count(*) FROM filler", default));
    }

    [Fact]
    public async Task Closing_the_store_right_after_a_large_commit_waits_for_the_copy_of_its_log()
    {
        var store = (RelationalStore)GatehouseStoreFactory.Create(Options, Time, new TestAuditKeyProtection());
        await store.MigrateAsync();
        var engine = (SqliteEngine)store.Engine;

        // Another connection stays open, so closing the store's own is not what copies the log.
        await using var other = new SqliteConnection($"Data Source={Options.SqlitePath};Pooling=False");
        await other.OpenAsync();

        await CommitLargeAsync(engine);
        await store.DisposeAsync();

        Assert.True(engine.Checkpoint.IsCompletedSuccessfully);
        Assert.True(new FileInfo(engine.FilePath).Length > 12_000_000, $"the database file is {new FileInfo(engine.FilePath).Length} bytes");
    }

    [Fact]
    public async Task A_log_left_by_a_server_stopped_before_its_checkpoint_is_copied_in_and_emptied_at_start()
    {
        var wal = ((SqliteEngine)Store.Engine).FilePath + "-wal";

        // A writer with no automatic checkpoint, still open (closing the last connection would checkpoint).
        await using var writer = new SqliteConnection($"Data Source={Options.SqlitePath};Pooling=False");
        await writer.OpenAsync();
        await Db.ExecuteAsync(writer, null, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (x BLOB)", default);
        for (var i = 0; i < 2_000; i++)
        {
            await Db.ExecuteAsync(writer, null, "INSERT INTO filler VALUES (randomblob(4000))", default);
        }

        Assert.True(new FileInfo(wal).Length > 8_000_000, $"the log is {new FileInfo(wal).Length} bytes");

        var restarted = await OpenStoreAsync(Options);

        Assert.Equal(0, new FileInfo(wal).Length);
        await using var read = await restarted.Engine.OpenAsync(default);
        Assert.Equal(2_000L, await Db.ScalarAsync(read.Connection, null, "SELECT count(*) FROM filler", default));
    }

    [Fact]
    public async Task A_log_is_cut_back_to_64_MiB_once_copied_so_a_large_push_does_not_keep_gigabytes_of_it()
    {
        await using var lease = await Store.Engine.OpenAsync(default);
        Assert.Equal(64L * 1024 * 1024, await Db.ScalarAsync(lease.Connection, null, "PRAGMA journal_size_limit", default));
    }

    /// <summary>
    /// Writes 3,000 rows of 4,000 bytes (about 12 MB, well past the 1,000 pages from which a plain
    /// commit copies its log in itself) as a large commit; returns the connection's automatic
    /// checkpoint setting after it.
    /// </summary>
    private static async Task<object?> CommitLargeAsync(SqliteEngine engine)
    {
        var (lease, transaction, _, _) = await engine.BeginWriteAsync(default);
        await using (lease)
        {
            await Db.ExecuteAsync(lease.Connection, transaction, "CREATE TABLE filler (x BLOB)", default);
            for (var i = 0; i < 3_000; i++)
            {
                await Db.ExecuteAsync(lease.Connection, transaction, "INSERT INTO filler VALUES (randomblob(4000))", default);
            }

            await engine.CommitLargeAsync(lease.Connection, () => transaction.CommitAsync());
            return await Db.ScalarAsync(lease.Connection, null, "PRAGMA wal_autocheckpoint", default);
        }
    }

    /// <summary>Runs a checkpoint: (1 if it could not finish, pages in the log, pages copied).</summary>
    private static async Task<(long Busy, long Log, long Copied)> CheckpointAsync(SqliteEngine engine, string mode)
    {
        await using var lease = await engine.OpenAsync(default);
        await using var command = Db.Command(lease.Connection, null, $"PRAGMA wal_checkpoint({mode})");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static async Task<Dictionary<string, string>> IndexSqlAsync(SqliteEngine engine, string[] names)
    {
        await using var lease = await engine.OpenAsync(default);
        return await IndexSqlAsync(lease.Connection, null, names);
    }

    private static async Task<Dictionary<string, string>> IndexSqlAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string[] names)
    {
        await using var command = Db.Command(connection, transaction, "SELECT name, sql FROM sqlite_master WHERE type = 'index'");
        await using var reader = await command.ExecuteReaderAsync();
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            if (names.Contains(reader.GetString(0)))
            {
                found[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return found;
    }

    [Fact]
    public void Weak_settings_are_named_as_problems()
    {
        var problems = new SqliteSettings("delete", 1, 0, 0).Problems();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("journal_mode is delete", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("synchronous is 1", StringComparison.Ordinal));
    }
}
