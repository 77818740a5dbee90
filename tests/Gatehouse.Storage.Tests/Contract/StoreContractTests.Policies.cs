using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Environment policies (docs/adr/0031-environment-policies.md): promotion, two owners everywhere, freezes.</summary>
public abstract partial class StoreContractTests
{
    private static OrganisationFile OrganisationWithProduction(Func<EnvironmentDefinition, EnvironmentDefinition> change)
    {
        var organisation = Organisation();
        return organisation with { Environments = [.. organisation.Environments.Select(e => e.Name == "production" ? change(e) : e)] };
    }

    private async Task PolicySeedAsync(Func<EnvironmentDefinition, EnvironmentDefinition> production)
    {
        await PushOrganisationAsync(OrganisationWithProduction(production));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
    }

    /// <summary>Christmas 2025 is frozen; the clock starts 2025-03-01.</summary>
    private static readonly EnvironmentFreeze Christmas = new(new DateOnly(2025, 12, 20), new DateOnly(2026, 1, 4), "year-end freeze");

    [StoreFact]
    public async Task Promotion_refuses_approval_in_production_until_the_need_is_granted_in_staging()
    {
        await PolicySeedAsync(e => e with { Promotion = "staging" });
        var request = await LatestRequestAsync(Key("production"));
        var events = await AuditCountAsync();

        var refused = await Store.DecideAsync(request.Id, User("bob"), true, null, null);

        AssertRefused(refused, StoreErrorKind.Conflict, StoreErrors.PromotionRequired, "production requires promotion from staging", "staging first");
        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal(RequestState.Pending, (await Store.GetRequestAsync(request.Id))!.State);

        await DecideOkAsync(Key("staging"), User("bob"));
        var approved = await DecideOkAsync(Key("production"), User("dave"));
        Assert.Equal(RequestState.Approved, approved.State);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("production"))).State);
    }

    [StoreFact]
    public async Task Promotion_counts_only_an_active_grant_in_the_earlier_environment()
    {
        await PolicySeedAsync(e => e with { Promotion = "staging" });
        await DecideOkAsync(Key("staging"), User("bob"));
        var staging = Assert.Single(await Store.ListGrantsAsync(new GrantQuery("customers", "profile.read", "billing", "staging")));
        Assert.True((await Store.RevokeAsync(staging.Id, User("bob"), "not needed in staging", null)).Succeeded);

        var refused = await Store.DecideAsync((await LatestRequestAsync(Key("production"))).Id, User("bob"), true, null, null);

        AssertRefused(refused, StoreErrorKind.Conflict, StoreErrors.PromotionRequired);
    }

    [StoreFact]
    public async Task Promotion_turns_a_grant_by_policy_into_an_owners_decision()
    {
        // notes.read is auto: with a promotion on production nothing is granted there at once.
        await PushOrganisationAsync(OrganisationWithProduction(e => e with { Approval = EnvironmentApproval.Scope, Promotion = "staging" }));
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(needs: [Need("customers", ["profile.read", "notes.read"], "Invoices show the customer's notes")]));

        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("staging", scope: "notes.read"))).State);
        var production = await CheckAsync(Key("production", scope: "notes.read"));
        Assert.Equal(AccessState.Pending, production.State);
        Assert.Equal(ApprovalMode.Owner, (await LatestRequestAsync(Key("production", scope: "notes.read"))).RequiredApproval);
    }

    [StoreFact]
    public async Task Two_owners_on_an_environment_needs_two_people_for_every_scope()
    {
        await PolicySeedAsync(e => e with { Approval = EnvironmentApproval.TwoOwners });
        var request = await LatestRequestAsync(Key("production"));
        Assert.Equal(ApprovalMode.TwoOwners, request.RequiredApproval);
        Assert.Equal(ApprovalMode.Owner, (await LatestRequestAsync(Key("staging"))).RequiredApproval);

        var first = await DecideOkAsync(Key("production"), User("bob"));
        Assert.Equal(RequestState.Pending, first.State);
        AssertRefused(await Store.DecideAsync(request.Id, User("bob"), true, null, null), StoreErrorKind.Conflict, StoreErrors.AlreadyApproved);
        var second = await DecideOkAsync(Key("production"), User("dave"));
        Assert.Equal(RequestState.Approved, second.State);
    }

    [StoreFact]
    public async Task A_freeze_refuses_new_grants_and_an_admins_emergency_approval_is_flagged()
    {
        await PolicySeedAsync(e => e with { Freezes = [Christmas] });
        Time.Advance(new DateTimeOffset(2025, 12, 20, 0, 0, 0, TimeSpan.Zero) - Time.GetUtcNow());
        var request = await LatestRequestAsync(Key("production"));
        var events = await AuditCountAsync();

        var owner = await Store.DecideAsync(request.Id, User("bob"), true, "fine", null);
        var notAdmin = await Store.DecideAsync(request.Id, User("bob"), true, "urgent", null, emergency: true);
        var noComment = await Store.DecideAsync(request.Id, User("root"), true, null, null, emergency: true);

        AssertRefused(owner, StoreErrorKind.Conflict, StoreErrors.EnvironmentFrozen, "frozen from 2025-12-20 through 2026-01-04 (year-end freeze)", "--emergency");
        AssertRefused(notAdmin, StoreErrorKind.Forbidden, StoreErrors.EmergencyRefused, "by an admin");
        AssertRefused(noComment, StoreErrorKind.Forbidden, StoreErrors.EmergencyRefused, "with a comment");
        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("production"))).State);

        var emergency = await Store.DecideAsync(request.Id, User("root"), true, "Outage INC-812 needs it now", null, emergency: true);

        Assert.True(emergency.Succeeded, emergency.ErrorMessage);
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery("customers", "profile.read", "billing", "production")));
        Assert.True(grant.Emergency);
        Assert.False(Assert.Single(await Store.ListGrantsAsync(new GrantQuery("customers", "profile.read", "billing", "development"))).Emergency);
        var created = (await Store.ReadAuditAsync(new AuditQuery(Action: "grant.created")))[^1];
        Assert.Contains("\"emergency\":true", created.Data, StringComparison.Ordinal);
        var verified = await Store.VerifyAuditAsync();
        Assert.True(verified.Valid, verified.Problem);
    }

    [StoreFact]
    public async Task A_freeze_covers_its_last_day_and_ends_as_the_next_day_begins()
    {
        await PolicySeedAsync(e => e with { Freezes = [Christmas] });
        var request = await LatestRequestAsync(Key("production"));
        Time.Advance(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero) - TimeSpan.FromMilliseconds(1) - Time.GetUtcNow());

        AssertRefused(await Store.DecideAsync(request.Id, User("bob"), true, null, null), StoreErrorKind.Conflict, StoreErrors.EnvironmentFrozen);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var notFrozen = await Store.DecideAsync(request.Id, User("root"), true, "urgent", null, emergency: true);
        AssertRefused(notFrozen, StoreErrorKind.Conflict, StoreErrors.EmergencyRefused, "not frozen");

        var approved = await DecideOkAsync(Key("production"), User("bob"));
        Assert.Equal(RequestState.Approved, approved.State);
        Assert.False(Assert.Single(await Store.ListGrantsAsync(new GrantQuery("customers", "profile.read", "billing", "production"))).Emergency);
    }

    [StoreFact]
    public async Task A_freeze_stops_grants_by_policy_at_push_and_denials_still_work()
    {
        var organisation = Organisation();
        await PushOrganisationAsync(organisation with { Environments = [.. organisation.Environments.Select(e => e.Name == "development" ? e with { Freezes = [Christmas] } : e)] });
        Time.Advance(new DateTimeOffset(2025, 12, 24, 12, 0, 0, TimeSpan.Zero) - Time.GetUtcNow());
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());

        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("development"))).State);
        var denied = await DecideOkAsync(Key("development"), User("bob"), approve: false, comment: "Not during the freeze");
        Assert.Equal(RequestState.Denied, denied.State);
    }
}
