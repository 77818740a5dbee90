using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Storage;

/// <summary>The entry point the server uses to get its store.</summary>
public static class GatehouseStoreFactory
{
    /// <summary>
    /// Creates the store the options describe. Call <see cref="IGatehouseStore.MigrateAsync"/>
    /// once at start-up before anything else. The returned object implements
    /// <see cref="IAsyncDisposable"/>: dispose it at shutdown to release its connections.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="StorageOptions.Validate"/>).</exception>
    public static IGatehouseStore Create(StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid storage options: " + string.Join("; ", problems), nameof(options));
        }

        StoreEngine engine = options.UsesPostgres
            ? new PostgresEngine(options.PostgresConnectionString!)
            : new SqliteEngine(options.DataDirectory);
        return new RelationalStore(engine, time);
    }
}
