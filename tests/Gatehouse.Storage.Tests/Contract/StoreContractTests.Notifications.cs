using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Notifications;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>The notification outbox (ADR 0019): written with the change, routed, leased once, in order per subject.</summary>
public abstract partial class StoreContractTests
{
    private static NotificationTarget Hook(string name = "hook", NotificationDigest digest = NotificationDigest.Immediate) =>
        new(name, NotificationKind.Webhook, "https://hooks.example/" + name, "HOOK_SECRET", null, [], digest, SourceLocation.WholeFile("gatehouse.org.yaml"));

    /// <summary>crm and payments each have a webhook; staging has one that hears everything in staging; payments' second target is muted.</summary>
    private static OrganisationFile OrganisationWithTargets()
    {
        var organisation = Organisation();
        return organisation with
        {
            Teams = [.. organisation.Teams.Select(t => t with { Notify = t.Name == "payments" ? [Hook(), Hook("quiet", NotificationDigest.Muted)] : [Hook()] })],
            Environments = [.. organisation.Environments.Select(e => e.Name == "staging" ? e with { Notify = [Hook()] } : e)],
        };
    }

    private INotificationStore Outbox(RelationalStore? store = null) => NotificationStoreFactory.For(store ?? Store, Time);

    private static DateTimeOffset Never(DateTimeOffset now) => now.AddDays(1);

    private async Task<List<(string Target, string Type, string Subject)>> DeliveriesAsync() =>
        await QueryAsync("SELECT d.target, e.type, d.subject FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id ORDER BY d.seq, d.target",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)));

    private async Task<List<T>> QueryAsync<T>(string sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        await using var lease = await Store.Engine.OpenAsync(default);
        await using var command = Db.Command(lease.Connection, null, sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    [StoreFact]
    public async Task Notification_events_are_written_by_the_change_they_report_and_not_by_a_refused_one()
    {
        await PushOrganisationAsync(OrganisationWithTargets());
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        var types = await QueryAsync("SELECT type FROM notification_events ORDER BY seq", r => r.GetString(0));
        Assert.Equal(["request.filed", "request.approved", "request.filed", "request.filed"], types);

        // alice owns the consumer: she may not approve, and the refusal leaves no event behind.
        var refused = await Store.DecideAsync((await LatestRequestAsync(Key("staging"))).Id, User("alice"), true, null, "test");
        Assert.False(refused.Succeeded);
        Assert.Equal(4, await CountAsync(Store, "SELECT COUNT(*) FROM notification_events"));

        // The events carry the audit sequence of their change.
        var seqs = await QueryAsync("SELECT e.seq FROM notification_events e JOIN audit_events a ON a.seq = e.seq AND a.action = e.type", r => r.GetInt64(0));
        Assert.Equal(4, seqs.Count);
    }

    [StoreFact]
    public async Task Events_are_routed_to_the_owners_teams_and_the_environments_targets_and_muted_targets_get_nothing()
    {
        await PushOrganisationAsync(OrganisationWithTargets());
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("staging"), User("bob"));

        Assert.Equal(5, await Outbox().RouteAsync(OrganisationWithTargets(), Never));
        var deliveries = await DeliveriesAsync();

        // Filed: to the provider's owners (crm). Approved: to the consumer's owners (payments). Staging's target hears both.
        Assert.Contains(deliveries, d => d is { Target: "team:crm/hook", Type: "request.filed" });
        Assert.Contains(deliveries, d => d is { Target: "team:payments/hook", Type: "request.approved" });
        Assert.Equal(2, deliveries.Count(d => d.Target == "environment:staging/hook"));
        Assert.DoesNotContain(deliveries, d => d is { Target: "team:payments/hook", Type: "request.filed" });
        Assert.DoesNotContain(deliveries, d => d.Target.EndsWith("/quiet", StringComparison.Ordinal));

        // Routed once: a second round (or a second replica) adds nothing.
        Assert.Equal(0, await Outbox().RouteAsync(OrganisationWithTargets(), Never));
        Assert.Equal(deliveries.Count, (await DeliveriesAsync()).Count);
    }

    [StoreFact]
    public async Task Without_any_target_every_waiting_event_is_routed_at_once_and_nothing_is_delivered()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("staging"), User("bob"));
        var waiting = await CountAsync(Store, "SELECT COUNT(*) FROM notification_events WHERE routed_at IS NULL");
        Assert.True(waiting >= 5);

        Assert.Equal(waiting, await Outbox().RouteAsync((await Store.GetOrganisationAsync())!.Organisation, Never));

        Assert.Equal(0, await CountAsync(Store, "SELECT COUNT(*) FROM notification_events WHERE routed_at IS NULL"));
        Assert.Empty(await DeliveriesAsync());
        Assert.Equal(0, await Outbox().RouteAsync((await Store.GetOrganisationAsync())!.Organisation, Never));
    }

    [StoreFact]
    public async Task Two_replicas_claiming_at_once_never_hold_the_same_delivery()
    {
        await PushOrganisationAsync(OrganisationWithTargets());
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        var replica = await OpenStoreAsync(Options);
        await Outbox().RouteAsync(OrganisationWithTargets(), Never);
        var total = (await DeliveriesAsync()).Count;

        var claimed = new System.Collections.Concurrent.ConcurrentBag<(string Owner, string Id)>();
        async Task ClaimAllAsync(INotificationStore outbox, string owner)
        {
            for (var round = 0; round < 20; round++)
            {
                foreach (var delivery in await outbox.ClaimAsync(owner, 2, TimeSpan.FromMinutes(1)))
                {
                    claimed.Add((owner, delivery.Id));
                    Assert.True(await outbox.CompleteAsync(delivery.Id, owner));
                }
            }
        }

        await Task.WhenAll(ClaimAllAsync(Outbox(), "a"), ClaimAllAsync(Outbox(replica), "b"), ClaimAllAsync(Outbox(replica), "c"));

        Assert.Equal(total, claimed.Count);
        Assert.Equal(total, claimed.Select(c => c.Id).Distinct().Count());
        Assert.Equal(new DeliveryCounts(0, total, 0), await Outbox().CountAsync());
    }

    [StoreFact]
    public async Task A_later_event_for_a_subject_waits_while_an_earlier_one_to_the_same_target_is_pending_until_it_is_dead()
    {
        await PushOrganisationAsync(OrganisationWithTargets());
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("staging"), User("bob"));
        var outbox = Outbox();
        await outbox.RouteAsync(OrganisationWithTargets(), Never);

        static ClaimedDelivery? Staging(IReadOnlyList<ClaimedDelivery> claimed) => claimed.SingleOrDefault(d => d.Target == "environment:staging/hook");

        var filed = Staging(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1)));
        Assert.Equal("request.filed", filed!.Event.Type);
        Assert.True(await outbox.FailAsync(filed.Id, "a", "503", Time.GetUtcNow().AddSeconds(10)));

        // The approval of the same request waits behind the filing, even once due.
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(Staging(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1))));
        Time.Advance(TimeSpan.FromSeconds(6));
        var retried = Staging(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1)));
        Assert.Equal(filed.Id, retried!.Id);
        Assert.Equal(2, retried.Attempts);

        // Given up on: a dead letter, and the next event goes.
        Assert.True(await outbox.FailAsync(filed.Id, "a", "503", null));
        var approved = Staging(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1)));
        Assert.Equal("request.approved", approved!.Event.Type);
        var dead = Assert.Single(await outbox.ListDeadLettersAsync(10));
        Assert.Equal((filed.Id, "request.filed", "503"), (dead.Id, dead.EventType, dead.LastError));

        // Redelivered: due again with its attempts reset, under the same id.
        Assert.True(await outbox.RedeliverAsync(filed.Id));
        Assert.False(await outbox.RedeliverAsync(filed.Id));
        Assert.Empty(await outbox.ListDeadLettersAsync(10));
    }

    [StoreFact]
    public async Task A_digest_target_gets_the_due_events_of_a_subject_together_in_order_while_other_targets_get_them_one_at_a_time()
    {
        var organisation = OrganisationWithTargets();
        organisation = organisation with { Environments = [.. organisation.Environments.Select(e => e.Name == "staging" ? e with { Notify = [Hook("digest", NotificationDigest.Daily)] } : e)] };
        await PushOrganisationAsync(organisation);
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("staging"), User("bob"));
        var outbox = Outbox();
        await outbox.RouteAsync(organisation, now => now.AddHours(1));
        string[] together = ["environment:staging/digest"];

        static List<ClaimedDelivery> Digest(IReadOnlyList<ClaimedDelivery> claimed) => [.. claimed.Where(d => d.Target == "environment:staging/digest")];

        // Not before the digest time; then the filing and the approval of the same request, in order.
        Assert.Empty(Digest(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1), together)));
        Time.Advance(TimeSpan.FromHours(1));
        var claimed = Digest(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1), together));
        Assert.Equal(["request.filed", "request.approved"], claimed.Where(d => d.Event.Subject == claimed[0].Event.Subject).Select(d => d.Event.Type));

        // Failed together, retried together; a caller that sends one at a time gets the earlier one alone.
        var retryAt = Time.GetUtcNow().AddSeconds(10);
        foreach (var d in claimed)
        {
            Assert.True(await outbox.FailAsync(d.Id, "a", "503", retryAt));
        }

        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(Digest(await outbox.ClaimAsync("a", 50, TimeSpan.FromMinutes(1), together)));
        Time.Advance(TimeSpan.FromSeconds(6));
        var alone = Digest(await outbox.ClaimAsync("b", 50, TimeSpan.FromMinutes(1)));
        Assert.Equal("request.filed", Assert.Single(alone).Event.Type);

        // The earlier one is leased by b: a later one is held back, even for a digest.
        Assert.DoesNotContain(Digest(await outbox.ClaimAsync("c", 50, TimeSpan.FromMinutes(1), together)), d => d.Event.Subject == alone[0].Event.Subject);
    }

    [StoreFact]
    public async Task A_lease_that_ends_lets_another_replica_take_the_delivery_and_the_first_can_no_longer_complete_it()
    {
        await PushOrganisationAsync(OrganisationWithTargets());
        await PushOkAsync(User("bob"), Customers());
        var outbox = Outbox();
        await PushOkAsync(User("alice"), Billing());
        await outbox.RouteAsync(OrganisationWithTargets(), Never);
        var first = await outbox.ClaimAsync("a", 1, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(await outbox.ClaimAsync("b", 50, TimeSpan.FromSeconds(30)), d => d.Id == first[0].Id);

        Time.Advance(TimeSpan.FromSeconds(31));
        var taken = await outbox.ClaimAsync("b", 50, TimeSpan.FromSeconds(30));
        Assert.Contains(taken, d => d.Id == first[0].Id);
        Assert.False(await outbox.CompleteAsync(first[0].Id, "a"));
        Assert.True(await outbox.CompleteAsync(first[0].Id, "b"));
    }

    [StoreFact]
    public async Task A_token_about_to_expire_raises_one_event_however_often_it_is_checked()
    {
        await SeedAsync();
        Assert.True((await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Time.GetUtcNow().AddDays(3), null, User("root"), "t")).Succeeded);
        Assert.True((await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "carol"), Time.GetUtcNow().AddDays(60), null, Bootstrap, "t")).Succeeded);

        Assert.Equal(1, await Outbox().RecordExpiringCredentialsAsync(TimeSpan.FromDays(14)));
        Assert.Equal(0, await Outbox().RecordExpiringCredentialsAsync(TimeSpan.FromDays(14)));
        var events = await QueryAsync("SELECT type, app, data FROM notification_events WHERE type = 'credential.expiring'", r => (r.GetString(0), r.GetString(1), r.GetString(2)));
        var (_, app, data) = Assert.Single(events);
        Assert.Equal("billing", app);
        Assert.DoesNotContain("secret", data, StringComparison.OrdinalIgnoreCase);
    }
}
