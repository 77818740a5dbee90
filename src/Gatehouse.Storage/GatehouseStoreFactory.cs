using Gatehouse.Storage.Audit;
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
    /// <param name="auditKeys">
    /// Wraps and unwraps the audit key under the key-encryption key; the store writes nothing
    /// until <see cref="IGatehouseStore.MigrateAsync"/> has unwrapped it.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="StorageOptions.Validate"/>).</exception>
    public static IGatehouseStore Create(StorageOptions options, TimeProvider time, IAuditKeyProtection auditKeys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(auditKeys);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid storage options: " + string.Join("; ", problems), nameof(options));
        }

        StoreEngine engine = options.UsesPostgres
            ? new PostgresEngine(options.PostgresConnectionString!)
            : new SqliteEngine(options.DataDirectory);
        return new RelationalStore(engine, time, auditKeys);
    }
}
