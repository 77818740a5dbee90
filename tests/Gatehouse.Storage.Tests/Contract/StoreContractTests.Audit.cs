using Gatehouse.Core.Access;
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
        Assert.All(events, e => Assert.Equal(AuditChain.ComputeHash(e), e.Hash));
        Assert.Equal(("bootstrap", "org.pushed", "organisation/acme", "test-org"), (events[0].Actor, events[0].Action, events[0].Subject, events[0].RequestId));
        var filed = events.First(e => e.Action == "request.filed");
        Assert.Equal(("user:alice", InvoiceReason, "test-push", Start), (filed.Actor, filed.Comment, filed.RequestId, filed.At));
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
}
