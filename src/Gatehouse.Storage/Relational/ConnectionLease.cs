using System.Data.Common;
using System.Diagnostics;

namespace Gatehouse.Storage.Relational;

/// <summary>A borrowed open connection; disposing it gives it back to its pool and ends its span, if any (<see cref="StoreTelemetry"/>).</summary>
internal sealed class ConnectionLease(DbConnection connection, Func<DbConnection, ValueTask> giveBack, Activity? activity = null) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public ValueTask DisposeAsync()
    {
        activity?.Dispose();
        return giveBack(Connection);
    }
}
