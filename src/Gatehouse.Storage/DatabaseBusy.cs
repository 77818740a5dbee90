using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage;

/// <summary>
/// Failures that pass by themselves: the database busy or locked (SQLite's write lock held by
/// another writer past the wait, which a long push does), or a transient fault the engine
/// reports as such (PostgreSQL's lock timeouts, deadlocks, serialization failures). Background
/// work retries them later and logs them as one line; they are not bugs to show a stack trace for.
/// </summary>
public static class DatabaseBusy
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True for a busy or locked database and other transient database faults.</summary>
    // Microsoft.Data.Sqlite does not mark SQLITE_BUSY as transient; its result codes are checked here.
    public static bool Is(Exception e) => e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }
        or DbException { IsTransient: true } or TimeoutException;
}
