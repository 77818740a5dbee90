using System.Data.Common;

namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Applies pending migrations in one transaction, recorded in <c>schema_migrations</c>.
/// Re-running is a no-op; replicas starting together serialize on the engine's migration lock.
/// </summary>
/// <param name="afterEach">
/// Runs after a migration's SQL in the same transaction, for a step that needs more than SQL
/// (the audit key: created and the old chain re-chained with the schema that holds it, or not at all).
/// </param>
internal sealed class MigrationRunner(StoreEngine engine, TimeProvider time, Func<Migration, DbConnection, DbTransaction, CancellationToken, Task>? afterEach = null)
{
    /// <returns>The versions applied by this run (empty when the schema was current).</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(int targetVersion, CancellationToken ct)
    {
        await using var lease = await engine.OpenAsync(ct);
        var connection = lease.Connection;
        await using var transaction = await engine.BeginMigrationAsync(connection, ct);
        await Db.ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """, ct);

        var applied = new HashSet<long>();
        await using (var command = Db.Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > Migrations.Latest)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {newest}, newer than this Gatehouse knows ({Migrations.Latest}). Upgrade Gatehouse before starting it on this database.");
        }

        var done = new List<int>();
        foreach (var migration in Migrations.All.Where(m => m.Version <= targetVersion && !applied.Contains(m.Version)))
        {
            await Db.ExecuteAsync(connection, transaction, migration.Sql, ct);
            if (afterEach is not null)
            {
                await afterEach(migration, connection, transaction, ct);
            }

            await Db.ExecuteAsync(connection, transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)", ct,
                ("@version", (long)migration.Version), ("@name", migration.Name), ("@at", time.GetUtcNow().ToUnixTimeMilliseconds()));
            done.Add(migration.Version);
        }

        await transaction.CommitAsync(ct);
        return done;
    }
}
