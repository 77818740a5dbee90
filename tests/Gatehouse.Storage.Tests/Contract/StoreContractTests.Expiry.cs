using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Relational.Migrations;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Grants that end (docs/adr/0023-grant-lifetime-and-expiry.md): recorded at approval, expired at answer time.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>The organisation with <c>maxGrantDays</c> on production.</summary>
    private static OrganisationFile OrganisationWithProductionLimit(int days)
    {
        var organisation = Organisation();
        return organisation with
        {
            Environments = [.. organisation.Environments.Select(e => e.Name == "production" ? e with { MaxGrantDays = days } : e)],
        };
    }

    private static ManifestUpload CustomersWithLimit(int? profileReadDays, int? notesReadDays = null) => Customers(
        "Customer records",
        Scope("profile.read") with { MaxGrantDays = profileReadDays },
        Scope("profile.write", ApprovalMode.TwoOwners),
        Scope("notes.read", ApprovalMode.Auto) with { MaxGrantDays = notesReadDays });

    private async Task<Grant> ActiveGrantAsync(AccessKey key) =>
        Assert.Single(await Store.ListGrantsAsync(new GrantQuery(key.Provider, key.Scope, key.Consumer, key.Environment)));

    [StoreFact]
    public async Task A_grant_ends_at_the_earliest_of_the_scope_limit_the_environment_limit_and_the_needs_until()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(30));
        await PushOkAsync(User("bob"), CustomersWithLimit(90));
        await PushOkAsync(User("alice"), Billing());
        Time.Advance(TimeSpan.FromHours(2));
        var approvedAt = Time.GetUtcNow();

        await DecideOkAsync(Key("staging"), User("bob"));
        await DecideOkAsync(Key("production"), User("bob"));

        Assert.Equal(approvedAt.AddDays(90), (await ActiveGrantAsync(Key("staging"))).ExpiresAt);
        Assert.Equal(approvedAt.AddDays(30), (await ActiveGrantAsync(Key("production"))).ExpiresAt);
        var check = await CheckAsync(Key("production"));
        Assert.Equal((AccessState.Granted, approvedAt.AddDays(30)), (check.State, check.ExpiresAt));
        var created = (await Store.ReadAuditAsync(new AuditQuery(Action: "grant.created")))[^1];
        Assert.Contains($"\"expiresAt\":\"{approvedAt.AddDays(30).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"", created.Data, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_needs_until_ends_its_grants_as_the_next_day_begins_in_UTC_even_grants_made_at_once()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(30));
        await PushOkAsync(User("bob"), CustomersWithLimit(90));
        var until = new DateOnly(2025, 3, 20);
        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", ["profile.read", "notes.read"], "A migration") with { Until = until }]));
        await DecideOkAsync(Key("production"), User("bob"));

        var end = new DateTimeOffset(2025, 3, 21, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(end, (await ActiveGrantAsync(Key("production"))).ExpiresAt);
        Assert.Equal(end, (await ActiveGrantAsync(Key("development"))).ExpiresAt); // auto, by policy, at push
        Assert.Equal(end, (await ActiveGrantAsync(Key("development", scope: "notes.read"))).ExpiresAt);
    }

    [StoreFact]
    public async Task A_grant_without_any_limit_has_no_end()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));
        Time.Advance(TimeSpan.FromDays(3650));

        Assert.Null((await ActiveGrantAsync(Key("staging"))).ExpiresAt);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("staging"))).State);
    }

    [StoreFact]
    public async Task A_grant_is_honoured_until_the_millisecond_before_its_end_and_expired_from_its_end_on_every_replica()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(30));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        var grant = (await DecideOkAsync(Key("production"), User("bob"))).DecidedAt!.Value.AddDays(30);
        var replica = await OpenStoreAsync(Options);

        Time.Advance(grant - Time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        foreach (var store in new[] { Store, replica })
        {
            Assert.Equal(AccessState.Granted, Assert.Single(await store.CheckAsync([Key("production")])).State);
            Assert.Single(await store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "production")));
        }

        Time.Advance(TimeSpan.FromMilliseconds(1));
        foreach (var store in new[] { Store, replica })
        {
            var check = Assert.Single(await store.CheckAsync([Key("production")]));
            Assert.Equal((AccessState.Expired, grant), (check.State, check.ExpiresAt));
            Assert.Empty(await store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "production")));
            var all = Assert.Single(await store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "production", ActiveOnly: false)));
            Assert.Equal(GrantState.Expired, all.State);
        }
    }

    [StoreFact]
    public async Task An_expired_grant_cannot_be_revoked_and_says_when_it_expired()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(1));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("production"), User("bob"));
        var grant = await ActiveGrantAsync(Key("production"));
        Time.Advance(TimeSpan.FromDays(2));
        var events = await AuditCountAsync();

        var refused = await Store.RevokeAsync(grant.Id, User("bob"), "too late", null);

        AssertRefused(refused, StoreErrorKind.Conflict, StoreErrors.GrantNotActive, "already expired at");
        Assert.Equal(events, await AuditCountAsync());
    }

    [StoreFact]
    public async Task A_push_after_the_end_files_a_renewal_and_its_approval_makes_a_new_grant()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(30));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("production"), User("bob"));
        var old = await ActiveGrantAsync(Key("production"));
        Time.Advance(TimeSpan.FromDays(31));

        var plan = await PushOkAsync(User("alice"), Billing());
        var renewal = await LatestRequestAsync(Key("production"));
        var waiting = await CheckAsync(Key("production"));
        var seq = (await Store.ReadAuditAsync(new AuditQuery(NewestFirst: true, Limit: 1)))[0].Seq;
        await DecideOkAsync(Key("production"), User("dave"));

        var change = Assert.Single(plan.Changes);
        Assert.Contains($"renews expired grant {old.Id}", change.Description, StringComparison.Ordinal);
        Assert.Equal((AccessState.Pending, renewal.Id, old.ExpiresAt), (waiting.State, waiting.RequestId, waiting.ExpiresAt));
        var renewed = await ActiveGrantAsync(Key("production"));
        Assert.Equal(Time.GetUtcNow().AddDays(30), renewed.ExpiresAt);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("production"))).State);
        var history = await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "production", ActiveOnly: false));
        Assert.Equal([GrantState.Active, GrantState.Expired], history.Select(g => g.State));
        Assert.Null(history[1].RevokedAt);
        Assert.Equal(["request.approved", "grant.expired", "grant.created"], (await ActionsAfterAsync(seq)).Where(a => a != "request.voted"));
        Assert.Empty((await Store.PushAsync([Billing()], User("alice"), null)).Value!.Changes);
    }

    [StoreFact]
    public async Task A_push_in_the_last_days_asks_again_and_the_old_grant_holds_until_the_renewal_is_approved()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(30));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
        await DecideOkAsync(Key("production"), User("bob"));
        Time.Advance(TimeSpan.FromDays(10));
        Assert.Empty((await Store.PushAsync([Billing()], User("alice"), null)).Value!.Changes);

        Time.Advance(TimeSpan.FromDays(10)); // 10 days left, inside the 14-day window
        var plan = await PushOkAsync(User("alice"), Billing());
        var during = await CheckAsync(Key("production"));
        await DecideOkAsync(Key("production"), User("bob"));

        Assert.Single(plan.Changes);
        Assert.Equal(AccessState.Granted, during.State);
        Assert.Equal(Time.GetUtcNow().AddDays(30), (await ActiveGrantAsync(Key("production"))).ExpiresAt);
        Assert.Empty((await Store.PushAsync([Billing()], User("alice"), null)).Value!.Changes);
    }

    [StoreFact]
    public async Task A_grant_bound_by_until_is_not_asked_again_in_its_last_days_because_a_renewal_would_end_no_later()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", "profile.read", InvoiceReason, "production") with { Until = new DateOnly(2025, 3, 10) }]));
        await DecideOkAsync(Key("production"), User("bob"));
        Time.Advance(TimeSpan.FromDays(5));

        Assert.Empty((await Store.PushAsync([Billing(needs: [Need("customers", "profile.read", InvoiceReason, "production") with { Until = new DateOnly(2025, 3, 10) }])], User("alice"), null)).Value!.Changes);
    }

    [StoreFact]
    public async Task Once_a_needs_until_has_passed_nothing_is_asked_again_and_a_waiting_request_cannot_be_approved()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        var migration = Billing(needs: [Need("customers", "profile.read", InvoiceReason) with { Until = new DateOnly(2025, 3, 5) }]);
        await PushOkAsync(User("alice"), migration);
        var staging = await LatestRequestAsync(Key("staging"));
        Time.Advance(TimeSpan.FromDays(10));
        var events = await AuditCountAsync();

        var refused = await Store.DecideAsync(staging.Id, User("bob"), true, null, null);
        var again = await Store.PushAsync([migration], User("alice"), null);

        AssertRefused(refused, StoreErrorKind.Conflict, StoreErrors.GrantWouldBeExpired, "2025-03-06T00:00:00Z", "has passed");
        Assert.Empty(again.Value!.Changes); // the ended auto grant in development is not renewed either
        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal(AccessState.Expired, (await CheckAsync(Key("development"))).State);
        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("staging"))).State);
    }

    [StoreFact]
    public async Task Grants_made_at_once_by_policy_end_and_are_renewed_at_once_by_the_next_push()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), CustomersWithLimit(null, notesReadDays: 7));
        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", "notes.read", "Show notes")]));
        var first = await ActiveGrantAsync(Key("staging", scope: "notes.read"));
        Time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(AccessState.Expired, (await CheckAsync(Key("staging", scope: "notes.read"))).State);

        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", "notes.read", "Show notes")]));

        var second = await ActiveGrantAsync(Key("staging", scope: "notes.read"));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(Time.GetUtcNow().AddDays(7), second.ExpiresAt);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("staging", scope: "notes.read"))).State);
    }

    [StoreFact]
    public async Task Changing_a_scopes_limit_is_a_scope_change_and_keeps_the_end_of_grants_already_approved()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));

        var plan = await PushOkAsync(User("bob"), CustomersWithLimit(60));
        await DecideOkAsync(Key("production"), User("bob"));

        Assert.Contains(plan.Changes, c => c.Kind == ChangeKind.ChangeScope && c.Description.Contains("maxGrantDays none -> 60", StringComparison.Ordinal));
        Assert.Null((await ActiveGrantAsync(Key("staging"))).ExpiresAt);
        Assert.Equal(Time.GetUtcNow().AddDays(60), (await ActiveGrantAsync(Key("production"))).ExpiresAt);
    }

    [StoreFact]
    public async Task Grants_ending_before_a_time_are_listed_without_the_ended_or_endless_ones()
    {
        await PushOrganisationAsync(OrganisationWithProductionLimit(10));
        await PushOkAsync(User("bob"), CustomersWithLimit(null, notesReadDays: 2));
        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", ["profile.read", "notes.read"], InvoiceReason)]));
        await DecideOkAsync(Key("production"), User("bob"));
        await DecideOkAsync(Key("staging"), User("bob"));
        Time.Advance(TimeSpan.FromDays(3)); // notes.read grants (2 days) have ended

        var soon = await Store.ListGrantsAsync(new GrantQuery(EndingBefore: Time.GetUtcNow().AddDays(14)));

        Assert.Equal([Key("production")], soon.Select(g => g.Key));
    }

    [StoreFact]
    public async Task Upgrading_to_version_10_gives_existing_grants_no_end()
    {
        var options = await NewDatabaseAsync();
        var old = await OpenStoreAsync(options, migrate: false);
        await old.MigrateAsync(Migrations.All[Migrations.All.ToList().IndexOf(V10GrantLifetime.Migration) - 1].Version, default);
        var saved = Store;
        Store = old;
        await WithScratchLifetimeColumnsAsync(old, async () =>
        {
            await SeedAsync();
            await DecideOkAsync(Key("production"), User("bob"));
        });
        Store = saved;

        var upgraded = await OpenStoreAsync(options, migrate: false);
        Assert.Equal(10, (await upgraded.MigrateAsync(Migrations.Latest, default))[0]);
        Time.Advance(TimeSpan.FromDays(3650));

        var grants = await upgraded.ListGrantsAsync(new GrantQuery(Consumer: "billing"));
        Assert.Equal(2, grants.Count);
        Assert.All(grants, g => Assert.Null(g.ExpiresAt));
        Assert.Equal(AccessState.Granted, Assert.Single(await upgraded.CheckAsync([Key("production")])).State);
        Assert.True((await upgraded.VerifyAuditAsync()).Valid);
    }
}
