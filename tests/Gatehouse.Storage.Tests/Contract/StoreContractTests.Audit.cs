using Gatehouse.Core.Access;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Audit_events_are_chained_and_record_actor_subject_reason_and_correlation()
    {
        await SeedAsync();

        var events = await Store.ReadAuditAsync(new AuditQuery());
        var verification = await Store.VerifyAuditAsync();

        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(events.Count, verification.EventCount);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(AuditChain.GenesisHash, events[0].PreviousHash);
        Assert.All(events.Skip(1).Zip(events), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var key = await AuditKeyAsync();
        Assert.All(events, e => Assert.Equal(AuditChain.ComputeHash(key, e), e.Hash));
        Assert.Equal(("bootstrap", "org.pushed", "organisation/acme", "test-org"), (events[0].Actor, events[0].Action, events[0].Subject, events[0].RequestId));
        var filed = events.First(e => e.Action == "request.filed");
        Assert.Equal(("user:alice", InvoiceReason, "test-push", Start), (filed.Actor, filed.Comment, filed.RequestId, filed.At));
        Assert.Equal(("billing", "customers"), (filed.App, filed.ProviderApp));
        Assert.Matches("^request/[0-9]+$", filed.Subject);
        Assert.Contains("billing -> customers:profile.read@development", filed.Data, StringComparison.Ordinal);
        Assert.Equal("policy", events.First(e => e.Action == "grant.created").Actor);
    }

    [StoreFact]
    public async Task A_changed_audit_row_is_detected_at_its_seq()
    {
        await SeedAsync();
        await ExecuteRawAsync(Store, "UPDATE audit_events SET comment = 'nothing to see' WHERE seq = 3");

        var verification = await Store.VerifyAuditAsync();

        Assert.False(verification.Valid);
        Assert.Equal(3, verification.FirstBrokenSeq);
        Assert.Contains("event 3 was changed", verification.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Moving_an_event_out_of_an_apps_history_is_detected_at_its_seq()
    {
        await SeedAsync();
        var filed = (await Store.ReadAuditAsync(new AuditQuery(App: "customers", Action: "request.filed")))[0];
        await ExecuteRawAsync(Store, $"UPDATE audit_events SET app = 'nobody', provider_app = NULL WHERE seq = {filed.Seq}");

        var verification = await Store.VerifyAuditAsync();

        Assert.DoesNotContain(await Store.ReadAuditAsync(new AuditQuery(App: "customers")), e => e.Seq == filed.Seq);
        Assert.Equal((false, filed.Seq), (verification.Valid, verification.FirstBrokenSeq));
        Assert.Contains($"event {filed.Seq} was changed", verification.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task An_edited_row_with_the_chain_recomputed_without_the_audit_key_is_detected()
    {
        // Someone with write access to the database but not the key-encryption key: the old
        // public encoding, or any key of their own, gives a chain that does not verify.
        await SeedAsync();
        await ExecuteRawAsync(Store, "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 2");
        await RecomputeChainAsync(Store, AuditChain.ComputeLegacyHash);

        var legacy = await Store.VerifyAuditAsync();
        await RecomputeChainAsync(Store, e => AuditChain.ComputeHash(new byte[AuditChain.KeySize], e));
        var guessed = await Store.VerifyAuditAsync();

        Assert.Equal((false, 1L), (legacy.Valid, legacy.FirstBrokenSeq));
        Assert.Equal((false, 1L), (guessed.Valid, guessed.FirstBrokenSeq));
    }

    [StoreFact]
    public async Task A_deleted_audit_row_is_detected_as_a_gap()
    {
        await SeedAsync();
        await ExecuteRawAsync(Store, "DELETE FROM audit_events WHERE seq = 2");

        var verification = await Store.VerifyAuditAsync();

        Assert.Equal((false, 2L), (verification.Valid, verification.FirstBrokenSeq));
        Assert.Contains("event 2 is missing", verification.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Deleting_the_newest_audit_rows_is_detected_against_the_chain_head()
    {
        await SeedAsync();
        var count = await AuditCountAsync();
        await ExecuteRawAsync(Store, $"DELETE FROM audit_events WHERE seq >= {count - 1}");

        var verification = await Store.VerifyAuditAsync();

        Assert.Equal((false, count - 1), (verification.Valid, verification.FirstBrokenSeq));
    }

    [StoreFact]
    public async Task The_audit_key_is_stored_only_wrapped_under_the_key_encryption_key()
    {
        await SeedAsync();

        var key = await AuditKeyAsync();
        var everything = await ReadEverythingAsync(Store);

        Assert.Equal(1, await CountAsync(Store, "SELECT COUNT(*) FROM audit_keys"));
        Assert.DoesNotContain(Convert.ToBase64String(key), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(key), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Text.Encoding.Latin1.GetString(key), everything, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Another_replica_with_the_same_key_encryption_key_continues_the_same_chain()
    {
        await SeedAsync();
        var replica = await OpenStoreAsync(Options);

        var token = await replica.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(1), null, User("alice"), null);
        var verification = await Store.VerifyAuditAsync();

        Assert.True(token.Succeeded);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(1, await CountAsync(Store, "SELECT COUNT(*) FROM audit_keys"));
    }

    [StoreFact]
    public async Task A_store_started_with_another_key_encryption_key_refuses_to_start()
    {
        await SeedAsync();
        var stranger = await OpenStoreAsync(Options, migrate: false, new TestAuditKeyProtection(new byte[32]));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => stranger.MigrateAsync());
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => stranger.PushOrganisationAsync(Organisation(), "org", Bootstrap, null));

        Assert.Contains("was wrapped with KEK", refused.Message, StringComparison.Ordinal);
        Assert.Contains("audit key is not loaded", write.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_deleted_audit_key_stops_the_start_instead_of_starting_a_new_chain()
    {
        await SeedAsync();
        await ExecuteRawAsync(Store, "DELETE FROM audit_keys");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStoreAsync(Options));

        Assert.Contains("The audit key is missing", refused.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_checkpoint_verifies_while_the_chain_only_grows()
    {
        await SeedAsync();
        var seeded = await AuditCountAsync();
        var checkpoint = Ok(await Store.CreateAuditCheckpointAsync());
        await DecideOkAsync(Key("staging"), User("bob"));

        var verification = Ok(await Store.VerifyAuditAsync(checkpoint));

        Assert.Equal(seeded, checkpoint.Seq);
        Assert.Equal((1L, seeded), (checkpoint.Stride, (long)checkpoint.Marks.Count));
        Assert.True(verification.Valid, verification.Problem);
        Assert.True(verification.EventCount > seeded);
    }

    [StoreFact]
    public async Task An_edit_before_a_checkpoint_is_named_even_when_the_chain_was_recomputed_with_the_audit_key()
    {
        // Someone with write access to the database AND the key-encryption key: the keyed chain
        // verifies again, the checkpoint kept outside does not.
        await SeedAsync();
        var checkpoint = Ok(await Store.CreateAuditCheckpointAsync());
        await DecideOkAsync(Key("staging"), User("bob"));
        await ExecuteRawAsync(Store, "UPDATE audit_events SET comment = 'approved long ago' WHERE seq = 4");
        var key = await AuditKeyAsync();
        await RecomputeChainAsync(Store, e => AuditChain.ComputeHash(key, e));

        var plain = await Store.VerifyAuditAsync();
        var anchored = Ok(await Store.VerifyAuditAsync(checkpoint));

        Assert.True(plain.Valid, plain.Problem);
        Assert.Equal((false, 4L), (anchored.Valid, anchored.FirstBrokenSeq));
        Assert.StartsWith("event 4 differs from the checkpoint of", anchored.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Events_removed_up_to_a_checkpoint_with_the_head_moved_back_are_detected()
    {
        await SeedAsync();
        var checkpoint = Ok(await Store.CreateAuditCheckpointAsync());
        var kept = checkpoint.Seq - 2;
        await ExecuteRawAsync(Store, $"DELETE FROM audit_events WHERE seq > {kept}");
        var keptHash = (await Store.ReadAuditAsync(new AuditQuery(AfterSeq: kept - 1)))[0].Hash;
        await ExecuteRawAsync(Store, $"UPDATE audit_head SET seq = {kept}, hash = '{keptHash}' WHERE id = 1");

        var plain = await Store.VerifyAuditAsync();
        var anchored = Ok(await Store.VerifyAuditAsync(checkpoint));

        Assert.True(plain.Valid, plain.Problem);
        Assert.Equal((false, kept + 1), (anchored.Valid, anchored.FirstBrokenSeq));
        Assert.Contains("events were removed", anchored.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_checkpoint_that_was_edited_or_belongs_to_another_database_is_refused()
    {
        await SeedAsync();
        var checkpoint = Ok(await Store.CreateAuditCheckpointAsync());

        var edited = await Store.VerifyAuditAsync(checkpoint with { Seq = checkpoint.Seq - 1 });
        var foreign = await Store.VerifyAuditAsync(checkpoint with { KeyId = "ak_0000000000000000" });

        AssertRefused(edited, StoreErrorKind.Invalid, StoreErrors.AuditCheckpointSignature, "signature does not verify");
        AssertRefused(foreign, StoreErrorKind.Invalid, StoreErrors.AuditCheckpointForeign, "ak_0000000000000000");
    }

    [StoreFact]
    public async Task No_checkpoint_vouches_for_a_broken_chain()
    {
        await SeedAsync();
        await ExecuteRawAsync(Store, "UPDATE audit_events SET comment = 'nothing to see' WHERE seq = 3");

        var refused = await Store.CreateAuditCheckpointAsync();

        AssertRefused(refused, StoreErrorKind.Conflict, StoreErrors.AuditChainBroken, "event 3");
    }

    [StoreFact]
    public async Task ReadAudit_filters_by_app_on_either_side_by_action_and_by_position()
    {
        await SeedAsync();

        var customers = await Store.ReadAuditAsync(new AuditQuery(App: "customers"));
        var filed = await Store.ReadAuditAsync(new AuditQuery(Action: "request.filed"));
        var after = await Store.ReadAuditAsync(new AuditQuery(AfterSeq: filed[0].Seq, Limit: 2));

        // The provider sees the requests for its scopes as well as its own changes.
        Assert.Contains(customers, e => e.Action == "app.created" && e.Subject == "app/customers");
        Assert.Equal(3, customers.Count(e => e.Action == "request.filed"));
        Assert.DoesNotContain(customers, e => e.Subject == "app/billing");
        Assert.Equal(3, filed.Count);
        Assert.Equal([filed[0].Seq + 1, filed[0].Seq + 2], after.Select(e => e.Seq));
        Assert.Empty(await Store.ReadAuditAsync(new AuditQuery(Since: Start.AddMinutes(1))));
        Assert.Equal(customers.Count(e => e.Actor == "user:bob"), (await Store.ReadAuditAsync(new AuditQuery(App: "customers", Actor: "user:bob"))).Count);
    }

    [StoreFact]
    public async Task ReadAudit_newest_first_pages_back_and_bounds_by_time()
    {
        await SeedAsync();
        var seeded = await AuditCountAsync();
        Time.Advance(TimeSpan.FromHours(2));
        await DecideOkAsync(Key("staging"), User("bob"));
        var total = await AuditCountAsync();

        var newest = await Store.ReadAuditAsync(new AuditQuery(Limit: 3, NewestFirst: true));
        var older = await Store.ReadAuditAsync(new AuditQuery(Limit: 3, NewestFirst: true, BeforeSeq: newest[^1].Seq));
        var beforeTheDecision = await Store.ReadAuditAsync(new AuditQuery(Until: Start.AddHours(1), NewestFirst: true));
        var theDecision = await Store.ReadAuditAsync(new AuditQuery(Since: Start.AddHours(1), Until: Start.AddHours(3)));

        Assert.Equal([total, total - 1, total - 2], newest.Select(e => e.Seq));
        Assert.Equal([total - 3, total - 4, total - 5], older.Select(e => e.Seq));
        Assert.Equal(seeded, beforeTheDecision[0].Seq);
        Assert.Equal(seeded, beforeTheDecision.Count);
        Assert.Equal(total - seeded, theDecision.Count);
        Assert.All(theDecision, e => Assert.Equal(Start.AddHours(2), e.At));
    }

    /// <summary>The audit key, unwrapped from the database as someone holding the KEK would.</summary>
    private async Task<byte[]> AuditKeyAsync()
    {
        await using var lease = await Store.Engine.OpenAsync(default);
        await using var command = Db.Command(lease.Connection, null, "SELECT id, kek_id, wrapped_key FROM audit_keys");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new TestAuditKeyProtection().Unwrap(reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>What someone with write access does after editing rows: recompute every link and the head.</summary>
    private static async Task RecomputeChainAsync(RelationalStore store, Func<AuditEvent, string> hash)
    {
        var events = await store.ReadAuditAsync(new AuditQuery(Limit: 10_000));
        var previous = AuditChain.GenesisHash;
        await using var lease = await store.Engine.OpenAsync(default);
        foreach (var e in events)
        {
            var linked = e with { PreviousHash = previous };
            previous = hash(linked);
            await Db.ExecuteAsync(lease.Connection, null, "UPDATE audit_events SET previous_hash = @p, hash = @h WHERE seq = @s", default,
                ("@p", linked.PreviousHash), ("@h", previous), ("@s", e.Seq));
        }

        await Db.ExecuteAsync(lease.Connection, null, "UPDATE audit_head SET hash = @h WHERE id = 1", default, ("@h", previous));
    }

    private static T Ok<T>(StoreResult<T> result)
    {
        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        return result.Value!;
    }
}
