using Gatehouse.Storage.Relational.Migrations;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Migrating_again_is_a_no_op()
    {
        await SeedAsync();
        var events = await AuditCountAsync();

        var applied = await Store.MigrateAsync(Migrations.Latest, default);
        var restarted = await OpenStoreAsync(Options, migrate: false);
        var appliedByRestart = await restarted.MigrateAsync(Migrations.Latest, default);

        Assert.Empty(applied);
        Assert.Empty(appliedByRestart);
        Assert.Equal(Migrations.All.Count, await CountAsync(Store, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal(2, (await restarted.ListAppsAsync()).Count);
    }

    [StoreFact]
    public async Task Upgrading_a_version_1_database_keeps_every_row()
    {
        var options = await NewDatabaseAsync();
        var old = await OpenStoreAsync(options, migrate: false);
        Assert.Equal([1], await old.MigrateAsync(1, default));
        var saved = Store;
        Store = old;
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));
        var events = await AuditCountAsync();
        Store = saved;

        var upgraded = await OpenStoreAsync(options, migrate: false);
        var applied = await upgraded.MigrateAsync(Migrations.Latest, default);

        Assert.Equal(Migrations.All.Skip(1).Select(m => m.Version), applied);
        Assert.Equal(["billing", "customers"], (await upgraded.ListAppsAsync()).Select(a => a.Name));
        Assert.Equal(3, (await upgraded.ListRequestsAsync(new RequestQuery())).Count);
        Assert.Equal(2, (await upgraded.ListGrantsAsync(new GrantQuery(Consumer: "billing"))).Count);
        Assert.Equal("alice", (await upgraded.GetUserAsync("alice"))!.Name);
        var verification = await upgraded.VerifyAuditAsync();
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(events, verification.EventCount);
        Assert.True((await upgraded.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(1), null, User("alice"), null)).Succeeded);
    }

    [StoreFact]
    public async Task A_database_from_a_newer_Gatehouse_is_refused()
    {
        await ExecuteRawAsync(Store, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from-the-future', 0)");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.MigrateAsync());

        Assert.Contains("newer than this Gatehouse", refused.Message, StringComparison.Ordinal);
    }
}
