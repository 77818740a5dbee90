using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Tests.Contract;
using Gatehouse.Storage.Tests.Infrastructure;

namespace Gatehouse.Storage.Tests.Postgres;

/// <summary>
/// The contract on a real PostgreSQL server. Skipped locally without GATEHOUSE_TEST_POSTGRES;
/// failing, never skipped, when CI=true (see <see cref="PostgresTestEnvironment"/>).
/// </summary>
[RequiresPostgres]
public sealed class PostgresStoreTests(PostgresDatabase database) : StoreContractTests, IClassFixture<PostgresDatabase>
{
    protected override string ListTablesSql => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";

    protected override async Task<StorageOptions> NewDatabaseAsync() =>
        new() { PostgresConnectionString = await database.NewSchemaAsync() };

    [PostgresFact]
    public async Task Migrate_refuses_a_server_that_can_lose_acknowledged_commits()
    {
        var options = new StorageOptions { PostgresConnectionString = await database.NewSchemaAsync("-c synchronous_commit=off") };
        var store = await OpenStoreAsync(options, migrate: false);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());

        Assert.Contains("misconfigured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("synchronous_commit is 'off'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(store, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"));
    }
}
