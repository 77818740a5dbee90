using Gatehouse.Server.Audit;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// The store <c>gatehouse serve</c> runs on: the database the options name, its audit key
/// wrapped under the key-encryption key (the configured one, or for SQLite the one generated in
/// the data folder, as the OAuth signing keys use). Call <see cref="IGatehouseStore.MigrateAsync"/> next.
/// </summary>
public static class ServerStore
{
    /// <param name="keys">
    /// The key-encryption key settings as the server reads them (<see cref="OAuthOptionsLoader.Load"/>):
    /// the KEK from <c>GATEHOUSE_KEY_ENCRYPTION_KEY</c> (or _FILE), if set; required with PostgreSQL.
    /// </param>
    /// <exception cref="ConfigurationProblemException">No KEK for PostgreSQL, or the generated one is unreadable.</exception>
    public static IGatehouseStore Create(GatehouseOptions options, OAuthOptions keys, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kek = KeyEncryption.Resolve(keys, options);
        var storage = new StorageOptions { DataDirectory = options.DataDirectory, PostgresConnectionString = options.DatabaseConnectionString };
        return GatehouseStoreFactory.Create(storage, time, new AuditKeyProtection(kek));
    }
}
