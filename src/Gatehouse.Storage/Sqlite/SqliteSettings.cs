using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The per-connection settings Gatehouse relies on, as read back from a connection.</summary>
internal sealed record SqliteSettings(string JournalMode, long Synchronous, long ForeignKeys, long BusyTimeoutMs)
{
    /// <summary>synchronous=FULL: a commit is on disk before it returns (2 in PRAGMA synchronous).</summary>
    public const long SynchronousFull = 2;

    public const long BusyTimeout = 5000;

    /// <summary>
    /// The size a log file is cut back to once it has been copied into the database and restarted:
    /// without it, the file a large push grew (4 GB at a million grants) stays that size on disk.
    /// </summary>
    public const long JournalSizeLimit = 64L * 1024 * 1024;

    /// <summary>
    /// Applied to each new physical connection: busy_timeout first so the rest waits for locks,
    /// journal_mode=WAL (persistent in the file; a no-op once set) so readers never block the
    /// writer, synchronous=FULL for durable commits, foreign keys on, the log cut back to
    /// <see cref="JournalSizeLimit"/> after it restarts. Then the first four are read back and checked.
    /// </summary>
    public static SqliteSettings Apply(SqliteConnection connection)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                $"PRAGMA busy_timeout = {BusyTimeout}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = {JournalSizeLimit};";
            command.ExecuteNonQuery();
        }

        var settings = Read(connection);
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"SQLite at {connection.DataSource} refused Gatehouse's durability settings: {string.Join("; ", problems)}. " +
                "Check that the data directory is on a local file system that supports WAL.");
        }

        return settings;
    }

    public static SqliteSettings Read(SqliteConnection connection) => new(
        Scalar<string>(connection, "PRAGMA journal_mode"),
        Scalar<long>(connection, "PRAGMA synchronous"),
        Scalar<long>(connection, "PRAGMA foreign_keys"),
        Scalar<long>(connection, "PRAGMA busy_timeout"));

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!string.Equals(JournalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"journal_mode is {JournalMode}, expected wal");
        }

        if (Synchronous != SynchronousFull)
        {
            problems.Add($"synchronous is {Synchronous}, expected {SynchronousFull} (FULL)");
        }

        if (ForeignKeys != 1)
        {
            problems.Add("foreign_keys is off");
        }

        if (BusyTimeoutMs < BusyTimeout)
        {
            problems.Add($"busy_timeout is {BusyTimeoutMs} ms, expected {BusyTimeout}");
        }

        return problems;
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
