using Gatehouse.Core.Access;
using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Relational;
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
        await WithScratchRequestPeopleAsync(old, async () =>
        {
            await SeedAsync();
            await DecideOkAsync(Key("staging"), User("bob"));
        });
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
        Assert.Equal(events + 1, verification.EventCount); // and the record of the re-chaining
        Assert.True((await upgraded.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(1), null, User("alice"), null)).Succeeded);
    }

    /// <summary>
    /// Today's code records the people behind each request it files, in a table version 4 adds:
    /// a scratch table stands in while an older schema is seeded, and is dropped again so the
    /// upgrade starts from exactly the older tables.
    /// </summary>
    private static async Task WithScratchRequestPeopleAsync(RelationalStore old, Func<Task> seed)
    {
        await ExecuteRawAsync(old, "CREATE TABLE request_people (request_id BIGINT NOT NULL, person TEXT NOT NULL, role TEXT NOT NULL)");
        await WithScratchLifetimeColumnsAsync(old, seed);
        await ExecuteRawAsync(old, "DROP TABLE request_people");
    }

    /// <summary>Likewise for the grant columns versions 10 and 14 add (today's code reads and writes them).</summary>
    private static async Task WithScratchLifetimeColumnsAsync(RelationalStore old, Func<Task> seed)
    {
        await ExecuteRawAsync(old, "ALTER TABLE grants ADD COLUMN expires_at BIGINT NULL");
        await ExecuteRawAsync(old, "ALTER TABLE grants ADD COLUMN emergency BIGINT NOT NULL DEFAULT 0");
        await ExecuteRawAsync(old, "ALTER TABLE scopes ADD COLUMN max_grant_days BIGINT NULL");
        await seed();
        await ExecuteRawAsync(old, "ALTER TABLE grants DROP COLUMN expires_at");
        await ExecuteRawAsync(old, "ALTER TABLE grants DROP COLUMN emergency");
        await ExecuteRawAsync(old, "ALTER TABLE scopes DROP COLUMN max_grant_days");
    }

    [StoreFact]
    public async Task Upgrading_to_version_4_records_the_people_behind_pending_requests_and_drops_bootstrap_votes()
    {
        var options = await NewDatabaseAsync();
        var old = await OpenStoreAsync(options, migrate: false);
        Assert.Equal([1, 2, 3], await old.MigrateAsync(3, default));
        var saved = Store;
        Store = old;
        AccessRequest production = null!;
        await WithScratchRequestPeopleAsync(old, async () =>
        {
            await SeedAsync();
            production = await LatestRequestAsync(Key("production"));
            await PushOkAsync(User("carol"), Upload("ledger", "team:payments"));
            var deploy = await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "ledger"), Start.AddDays(30), "ci", User("carol"), null);
            await PushOkAsync(App("ledger") with { TokenId = deploy.Value!.Info.Id },
                Upload("ledger", "team:payments", needs: [Need("customers", "profile.read", "Match payments to customers", "production")]));
        });
        await ExecuteRawAsync(old, $"INSERT INTO request_votes (request_id, approver, approve, comment, voted_at) VALUES ({production.Id}, 'bootstrap', 1, NULL, 0)");
        Store = saved;

        var upgraded = await OpenStoreAsync(options, migrate: false);
        Assert.Equal([4], await upgraded.MigrateAsync(4, default));

        var byAlice = await upgraded.GetRequestAsync(production.Id);
        var byLedger = (await upgraded.ListRequestsAsync(new RequestQuery(Consumer: "ledger"))).Single();
        Assert.Equal([new RequestPerson("alice", PersonRole.Pusher)], byAlice!.People);
        Assert.Empty(byAlice.Votes);
        Assert.Equal([new RequestPerson("carol", PersonRole.TokenCreator)], byLedger.People);
        Assert.Empty((await upgraded.GetRequestAsync((await upgraded.ListRequestsAsync(new RequestQuery(Consumer: "billing", Environment: "development"))).Single().Id))!.People);
    }

    [StoreFact]
    public async Task Upgrading_rechains_the_unkeyed_chain_under_the_audit_key_and_records_it()
    {
        var options = await NewDatabaseAsync();
        var (old, before) = await OldChainAsync(options);
        var legacyHead = before[^1];

        var upgraded = await OpenStoreAsync(options, migrate: false);
        var applied = await upgraded.MigrateAsync(Migrations.Latest, default);
        var after = await upgraded.ReadAuditAsync(new AuditQuery(Limit: 10_000));
        var verification = await upgraded.VerifyAuditAsync();

        Assert.Contains(AuditKeySchema.Version, applied);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(before.Count + 1, after.Count);
        // Every event keeps what it says; only its links change, now keyed.
        Assert.Equal(before.Select(Content), after.Take(before.Count).Select(Content));
        Assert.All(before.Zip(after), pair => Assert.NotEqual(pair.First.Hash, pair.Second.Hash));
        var record = after[^1];
        Assert.Equal(("gatehouse", "audit.rechained", "audit/chain", legacyHead.Seq + 1), (record.Actor, record.Action, record.Subject, record.Seq));
        Assert.Contains($"\"events\":{before.Count}", record.Data, StringComparison.Ordinal);
        Assert.Contains($"\"previousHeadHash\":\"{legacyHead.Hash}\"", record.Data, StringComparison.Ordinal);
        Assert.Contains("\"previousChain\":\"verified\"", record.Data, StringComparison.Ordinal);
        Assert.NotNull(old);
    }

    [StoreFact]
    public async Task After_the_upgrade_an_edit_with_the_old_public_chain_recomputed_is_detected()
    {
        var options = await NewDatabaseAsync();
        await OldChainAsync(options);
        var upgraded = await OpenStoreAsync(options);
        Store = upgraded;

        await ExecuteRawAsync(upgraded, "UPDATE audit_events SET provider_app = 'elsewhere' WHERE seq = 5");
        await RecomputeChainAsync(upgraded, AuditChain.ComputeLegacyHash);
        var verification = await upgraded.VerifyAuditAsync();

        Assert.Equal((false, 1L), (verification.Valid, verification.FirstBrokenSeq));
    }

    [StoreFact]
    public async Task Upgrading_a_broken_unkeyed_chain_keeps_the_break_on_record()
    {
        var options = await NewDatabaseAsync();
        var (old, _) = await OldChainAsync(options);
        await ExecuteRawAsync(old, "UPDATE audit_events SET comment = 'edited before the upgrade' WHERE seq = 3");

        var upgraded = await OpenStoreAsync(options);
        var record = (await upgraded.ReadAuditAsync(new AuditQuery(Action: "audit.rechained")))[0];

        Assert.Contains("\"previousChain\":\"broken at event 3: event 3 was changed after it was written", record.Data, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_new_database_gets_its_audit_key_and_no_rechain_record()
    {
        var verification = await Store.VerifyAuditAsync();

        Assert.Equal(1, await CountAsync(Store, "SELECT COUNT(*) FROM audit_keys"));
        Assert.Equal((true, 0L), (verification.Valid, verification.EventCount));
    }

    /// <summary>A database of the schema before the audit key, with the unkeyed chain an older Gatehouse wrote.</summary>
    private async Task<(RelationalStore Old, IReadOnlyList<AuditEvent> Events)> OldChainAsync(StorageOptions options)
    {
        var old = await OpenStoreAsync(options, migrate: false);
        await old.MigrateAsync(AuditKeySchema.Version - 1, default);
        var saved = Store;
        Store = old;
        await WithScratchLifetimeColumnsAsync(old, async () =>
        {
            await SeedAsync();
            await DecideOkAsync(Key("staging"), User("bob"));
        });
        Store = saved;
        var events = await old.ReadAuditAsync(new AuditQuery(Limit: 10_000));
        var legacy = AuditChainVerifier.Legacy();
        Assert.All(events, e => Assert.True(legacy.Accept(e), legacy.Problem));
        return (old, events);
    }

    private static object Content(AuditEvent e) => e with { PreviousHash = "", Hash = "" };

    [StoreFact]
    public async Task A_database_from_a_newer_Gatehouse_is_refused()
    {
        await ExecuteRawAsync(Store, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from-the-future', 0)");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.MigrateAsync());

        Assert.Contains("newer than this Gatehouse", refused.Message, StringComparison.Ordinal);
    }
}
