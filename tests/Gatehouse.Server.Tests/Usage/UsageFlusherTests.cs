using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.Usage;

/// <summary>
/// A flush that finds SQLite's write lock held past its wait (a long push) is expected under
/// load: one line in the log, the uses kept for the next flush. Anything else is a failure worth
/// its stack trace.
/// </summary>
public sealed class UsageFlusherTests
{
    [Fact]
    public async Task A_flush_that_finds_the_database_locked_logs_one_line_and_keeps_the_uses_for_the_next()
    {
        using var recorder = new UsageRecorder(new UsageOptions(), TimeProvider.System);
        var logger = new ListLogger();
        var store = new Store { Failure = await LockedDatabaseAsync() };
        var flusher = new UsageFlusher(recorder, store, new UsageOptions(), logger);
        recorder.TokenAuthenticated("tok_a");

        await flusher.FlushAsync(default);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("waited too long for the database", entry.Message);
        Assert.Contains("database is locked", entry.Message);
        Assert.Equal(1, recorder.Cells);

        store.Failure = null;
        await flusher.FlushAsync(default);
        Assert.Single(logger.Entries);
        Assert.Equal(0, recorder.Cells);
        Assert.Contains("tok_a", store.Tokens);
    }

    [Fact]
    public async Task A_flush_that_fails_otherwise_logs_the_exception()
    {
        using var recorder = new UsageRecorder(new UsageOptions(), TimeProvider.System);
        var logger = new ListLogger();
        var flusher = new UsageFlusher(recorder, new Store { Failure = new InvalidOperationException("the store is down") }, new UsageOptions(), logger);
        recorder.TokenAuthenticated("tok_a");

        await flusher.FlushAsync(default);

        var entry = Assert.Single(logger.Entries);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Equal(1, recorder.Cells);
    }

    [Fact]
    public async Task A_locked_database_is_busy_and_a_broken_constraint_is_not()
    {
        Assert.True(DatabaseBusy.Is(await LockedDatabaseAsync()));
        Assert.True(DatabaseBusy.Is(new TimeoutException()));
        Assert.False(DatabaseBusy.Is(new SqliteException("constraint failed", 19)));
        Assert.False(DatabaseBusy.Is(new InvalidOperationException("the store is down")));
    }

    /// <summary>What SQLite throws when another connection holds the write lock past the wait (1 s here).</summary>
    private static async Task<Exception> LockedDatabaseAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-usage-flush-").FullName;
        var file = Path.Combine(directory, "locked.db");
        try
        {
            await using var writer = new SqliteConnection($"Data Source={file};Pooling=False");
            await writer.OpenAsync();
            await Execute(writer, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");

            await using var other = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
            await other.OpenAsync();
            return await Assert.ThrowsAsync<SqliteException>(() => Execute(other, "BEGIN IMMEDIATE"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Store : IUsageStore
    {
        public Exception? Failure { get; set; }

        public HashSet<string> Tokens { get; } = [];

        public Task WriteAsync(UsageBatch batch, CancellationToken ct = default)
        {
            if (Failure is { } failure)
            {
                throw failure;
            }

            Tokens.UnionWith(batch.Tokens.Select(t => t.Id));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<long, DateTimeOffset>> GrantLastUseAsync(IEnumerable<long> grantIds, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, CredentialLastUse>> TokenLastUseAsync(IEnumerable<string> tokenIds, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, CredentialLastUse>> ClientLastUseAsync(IEnumerable<string> clientIds, CancellationToken ct = default) => throw new NotSupportedException();
    }

    private sealed class ListLogger : ILogger<UsageFlusher>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
