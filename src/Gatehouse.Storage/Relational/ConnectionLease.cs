using System.Data.Common;

namespace Gatehouse.Storage.Relational;

/// <summary>A borrowed open connection; disposing it gives it back to its pool.</summary>
internal sealed class ConnectionLease(DbConnection connection, Func<DbConnection, ValueTask> giveBack) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public ValueTask DisposeAsync() => giveBack(Connection);
}
