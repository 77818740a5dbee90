using Gatehouse.Core.Access;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    /// <summary>
    /// A push is written a round of operations at a time (ADR 0037); one larger than a round must
    /// store exactly what a small one does: every request and grant, and every audit event and
    /// outbox row in plan order, one unbroken chain.
    /// </summary>
    [StoreFact]
    public async Task A_push_larger_than_one_round_of_writes_stores_every_request_grant_and_event_in_plan_order()
    {
        await PushOrganisationAsync();
        var scopeNames = Enumerable.Range(1, 100).Select(i => $"records{i:D3}.read").ToArray();
        await PushOkAsync(User("root"), Upload("provider", "team:crm", [.. scopeNames.Select(s => Scope(s))]));
        var before = await AuditCountAsync();
        var outboxBefore = await CountAsync(Store, "SELECT COUNT(*) FROM notification_events");

        // 40 apps needing 100 scopes in 3 environments: 12,000 requests, 4,000 of them granted at once.
        var consumers = Enumerable.Range(1, 40)
            .Select(i => Upload($"consumer-{i:D2}", "team:payments", [Scope("own.read")], [Need("provider", scopeNames, "Show the records")]))
            .ToArray();
        var push = await PushOkAsync(User("root"), consumers);

        Assert.True(40 + 40 + 12_000 > PushWriter.OperationsPerRound, "the push must span more than one round of writes");
        Assert.Equal(12_000, push.Changes.Count(c => c.Kind == ChangeKind.FileRequest));
        Assert.Equal(4_000, push.Changes.Count(c => c.Kind == ChangeKind.AutoGrant));
        Assert.Equal(12_000, await CountAsync(Store, "SELECT COUNT(*) FROM requests WHERE consumer LIKE 'consumer-%'"));
        Assert.Equal(12_000, await CountAsync(Store, "SELECT COUNT(*) FROM request_people rp JOIN requests r ON r.id = rp.request_id WHERE r.consumer LIKE 'consumer-%'"));
        Assert.Equal(4_000, await CountAsync(Store, "SELECT COUNT(*) FROM grants WHERE state = 'active' AND environment = 'development'"));

        var keys = consumers.SelectMany(c => scopeNames.SelectMany(s => new[] { "development", "staging", "production" }
            .Select(e => new AccessKey(c.Manifest.App, "provider", s, e)))).ToList();
        var checks = await Store.CheckAsync(keys);
        Assert.All(checks, c => Assert.Equal(c.Key.Environment == "development" ? AccessState.Granted : AccessState.Pending, c.State));

        // The events follow the plan, change by change, in one chain that still verifies.
        var expected = push.Changes.SelectMany(c => c.Kind switch
        {
            ChangeKind.AddApp => ["app.created"],
            ChangeKind.AddScope => ["scope.added"],
            ChangeKind.FileRequest => ["request.filed"],
            ChangeKind.AutoGrant => ["request.approved", "grant.created"],
            _ => new[] { $"unexpected {c.Kind}" },
        }).ToList();
        var events = new List<AuditEvent>();
        for (var page = await ReadAuditPageAsync(before); page.Count > 0; page = await ReadAuditPageAsync(page[^1].Seq))
        {
            events.AddRange(page);
        }

        Assert.Equal(expected, events.Select(e => e.Action));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => before + i), events.Select(e => e.Seq));
        var filed = events.Where(e => e.Action == "request.filed").Select(e => long.Parse(e.Subject["request/".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 12_000).Select(i => filed[0] + i), filed);
        var verification = await Store.VerifyAuditAsync();
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(before + expected.Count, verification.EventCount);
        Assert.Equal(outboxBefore + 12_000 + 4_000, await CountAsync(Store, "SELECT COUNT(*) FROM notification_events"));

        Assert.True((await PushOkAsync(User("root"), consumers)).IsEmpty);
    }

    private async Task<IReadOnlyList<AuditEvent>> ReadAuditPageAsync(long afterSeq) =>
        await Store.ReadAuditAsync(new AuditQuery(AfterSeq: afterSeq, Limit: 10_000));
}
