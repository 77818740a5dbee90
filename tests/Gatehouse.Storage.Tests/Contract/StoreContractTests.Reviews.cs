using Gatehouse.Core.Access;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Access reviews (docs/adr/0032-access-reviews.md): open, keep or revoke, separation of duties, the deadline.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>billing holds profile.read in development (by policy), staging and production; notes.read in development.</summary>
    private async Task ReviewSeedAsync(string billingOwners = "team:payments")
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Upload("billing", billingOwners, [Scope("invoices.read")], [Need("customers", ["profile.read", "notes.read"], "Invoices")]));
        await DecideOkAsync(Key("staging"), User("bob"));
        await DecideOkAsync(Key("production"), User("bob"));
    }

    private Task<StoreResult<AccessReview>> OpenReviewAsync(string? environment, UnconfirmedAction unconfirmed = UnconfirmedAction.Revoke, Actor? by = null) =>
        Store.OpenReviewAsync(environment, Time.GetUtcNow().AddDays(14), unconfirmed, by ?? User("root"), null);

    private async Task<long> GrantIdAsync(AccessKey key) =>
        Assert.Single(await Store.ListGrantsAsync(new GrantQuery(key.Provider, key.Scope, key.Consumer, key.Environment))).Id;

    [StoreFact]
    public async Task An_admin_opens_a_review_of_every_active_grant_in_an_environment_and_nobody_else_may()
    {
        await ReviewSeedAsync();
        var events = await AuditCountAsync();

        var refused = await OpenReviewAsync("production", by: User("bob"));
        var bootstrap = await OpenReviewAsync("production", by: Bootstrap);
        Assert.Equal(events, await AuditCountAsync());
        var opened = await OpenReviewAsync("production");

        AssertRefused(refused, StoreErrorKind.Forbidden, StoreErrors.ReviewForbidden, "only an admin");
        AssertRefused(bootstrap, StoreErrorKind.Forbidden, StoreErrors.ReviewForbidden);
        Assert.True(opened.Succeeded, opened.ErrorMessage);
        var item = Assert.Single(opened.Value!.Items);
        Assert.Equal(Key("production"), item.Key);
        Assert.Equal((1, 1, 0, 0), (opened.Value.Total, opened.Value.Waiting, opened.Value.Kept, opened.Value.Revoked));
        var all = await OpenReviewAsync(null);
        Assert.Equal(5, all.Value!.Total); // profile.read in all three, notes.read (auto) in development and staging
        Assert.Equal(2, (await Store.ListReviewsAsync(openOnly: true)).Count);
        AssertRefused(await OpenReviewAsync("nowhere"), StoreErrorKind.NotFound, StoreErrors.ReviewInvalid, "no environment nowhere");
    }

    [StoreFact]
    public async Task An_owner_keeps_one_grant_and_revokes_another_which_ends_at_once()
    {
        await ReviewSeedAsync();
        var review = (await OpenReviewAsync(null)).Value!;
        var production = await GrantIdAsync(Key("production"));
        var staging = await GrantIdAsync(Key("staging"));

        var kept = await Store.DecideReviewItemAsync(review.Id, production, ReviewDecision.Keep, "still invoices", User("bob"), null);
        var noReason = await Store.DecideReviewItemAsync(review.Id, staging, ReviewDecision.Revoke, null, User("dave"), null);
        var revoked = await Store.DecideReviewItemAsync(review.Id, staging, ReviewDecision.Revoke, "staging no longer used", User("dave"), null);
        var outsider = await Store.DecideReviewItemAsync(review.Id, production, ReviewDecision.Keep, null, User("carol"), null);

        Assert.True(kept.Succeeded, kept.ErrorMessage);
        Assert.Equal((ReviewDecision.Keep, "bob"), (kept.Value!.Decision!.Value, kept.Value.DecidedBy));
        AssertRefused(noReason, StoreErrorKind.Invalid, StoreErrors.CommentRequired);
        Assert.True(revoked.Succeeded, revoked.ErrorMessage);
        AssertRefused(outsider, StoreErrorKind.Forbidden, StoreErrors.ReviewForbidden, "only an owner of customers");
        Assert.Equal(AccessState.Revoked, (await CheckAsync(Key("staging"))).State);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("production"))).State);
        var after = (await Store.GetReviewAsync(review.Id))!;
        Assert.Equal((1, 1, 3), (after.Kept, after.Revoked, after.Waiting));
        Assert.Contains(await Store.ReadAuditAsync(new AuditQuery(Action: "review.revoked")), e => e.Comment == "staging no longer used");
    }

    [StoreFact]
    public async Task Nobody_confirms_a_grant_they_hold_or_asked_for()
    {
        // dave owns customers (team crm) and billing too: he holds the grant he would confirm.
        await ReviewSeedAsync(billingOwners: "team:payments, user:dave");
        var review = (await OpenReviewAsync("production")).Value!;
        var grant = await GrantIdAsync(Key("production"));

        var holder = await Store.DecideReviewItemAsync(review.Id, grant, ReviewDecision.Keep, null, User("dave"), null);
        var other = await Store.DecideReviewItemAsync(review.Id, grant, ReviewDecision.Keep, null, User("bob"), null);

        AssertRefused(holder, StoreErrorKind.Forbidden, StoreErrors.ReviewOwnGrant, "dave owns billing");
        Assert.True(other.Succeeded, other.ErrorMessage);

        // root pushes a new reason: notes.read (auto) is granted again on her request, so as an admin she still may not confirm it.
        await PushOkAsync(User("root"), Upload("billing", "team:payments, user:dave", [Scope("invoices.read")], [Need("customers", ["profile.read", "notes.read"], "Invoices and reminders")]));
        var second = (await OpenReviewAsync("staging")).Value!;
        var notes = await GrantIdAsync(Key("staging", scope: "notes.read"));
        AssertRefused(await Store.DecideReviewItemAsync(second.Id, notes, ReviewDecision.Keep, null, User("root"), null), StoreErrorKind.Forbidden, StoreErrors.ReviewOwnGrant, "asked for");
    }

    [StoreFact]
    public async Task At_the_deadline_what_nobody_confirmed_is_revoked_and_the_answers_close()
    {
        await ReviewSeedAsync();
        var review = (await OpenReviewAsync(null)).Value!;
        var production = await GrantIdAsync(Key("production"));
        Assert.True((await Store.DecideReviewItemAsync(review.Id, production, ReviewDecision.Keep, null, User("bob"), null)).Succeeded);
        Time.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Store.CloseDueReviewsAsync());

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var closed = Assert.Single(await Store.CloseDueReviewsAsync());

        Assert.False(closed.IsOpen);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("production"))).State);
        Assert.Equal(AccessState.Revoked, (await CheckAsync(Key("staging"))).State);
        Assert.Equal(4, closed.Items.Count(i => i.Outcome == "revoked-at-deadline"));
        Assert.Contains(await Store.ReadAuditAsync(new AuditQuery(Action: "grant.revoked")), e => e.Actor == "policy" && e.Subject.Contains("staging", StringComparison.Ordinal));
        AssertRefused(await Store.DecideReviewItemAsync(review.Id, production, ReviewDecision.Keep, null, User("dave"), null), StoreErrorKind.Conflict, StoreErrors.ReviewClosed);
        Assert.Empty(await Store.CloseDueReviewsAsync());
    }

    [StoreFact]
    public async Task A_report_policy_leaves_unconfirmed_grants_and_lists_them_on_every_replica()
    {
        await ReviewSeedAsync();
        var review = (await OpenReviewAsync("production", UnconfirmedAction.Report)).Value!;
        var replica = await OpenStoreAsync(Options);
        Time.Advance(TimeSpan.FromDays(15));

        var closed = Assert.Single(await replica.CloseDueReviewsAsync());

        Assert.Empty(await Store.CloseDueReviewsAsync());
        Assert.Equal("unconfirmed", Assert.Single(closed.Items).Outcome);
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("production"))).State);
        Assert.False((await Store.GetReviewAsync(review.Id))!.IsOpen);
    }
}
