using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Approve, deny, revoke: who may, and what each decision leaves behind.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task An_owner_approval_grants_the_access()
    {
        await SeedAsync();
        var before = await AuditCountAsync();

        var approved = await DecideOkAsync(Key("staging"), User("bob"), comment: "Fine for invoices");

        Assert.Equal(RequestState.Approved, approved.State);
        Assert.Equal(Start, approved.DecidedAt);
        var vote = Assert.Single(approved.Votes);
        Assert.Equal(("bob", true, "Fine for invoices"), (vote.Approver, vote.Approve, vote.Comment));
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Provider: "customers", Environment: "staging")));
        Assert.Equal((GrantState.Active, "bob", approved.Id), (grant.State, grant.GrantedBy, grant.RequestId));
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("staging"))).State);
        Assert.Equal(["request.approved", "grant.created"], await ActionsAfterAsync(before));
    }

    [StoreFact]
    public async Task A_two_owners_scope_needs_two_distinct_owners()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(InvoiceReason, Need("customers", "profile.write", "Store the billing address")));
        var key = Key("staging", scope: "profile.write");

        // Even the development policy does not grant a two-owners scope at once.
        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("development", scope: "profile.write"))).State);
        var first = await DecideOkAsync(key, User("bob"));
        Assert.Equal((RequestState.Pending, 1), (first.State, first.Votes.Count));
        Assert.Equal(AccessState.Pending, (await CheckAsync(key)).State);
        AssertRefused(await Store.DecideAsync(first.Id, User("bob"), true, null, null),
            StoreErrorKind.Conflict, StoreErrors.AlreadyApproved, "bob already approved");

        var second = await DecideOkAsync(key, User("dave"));

        Assert.Equal(RequestState.Approved, second.State);
        Assert.Equal(["bob", "dave"], second.Votes.Select(v => v.Approver));
        Assert.Equal("bob, dave", Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Scope: "profile.write", Environment: "staging"))).GrantedBy);
    }

    [StoreFact]
    public async Task Nobody_decides_a_request_they_filed_themselves()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("dave"), Upload("crm-sync", "team:crm", needs: [Need("customers", "profile.read", "Sync profiles to the CRM", "staging")]));
        var request = await LatestRequestAsync(Key("staging", consumer: "crm-sync"));
        Assert.Equal("user:dave", request.RequestedBy);

        AssertRefused(await Store.DecideAsync(request.Id, User("dave"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.OwnRequest, "filed by user:dave");
        AssertRefused(await Store.DecideAsync(request.Id, User("dave"), false, "changed my mind", null),
            StoreErrorKind.Forbidden, StoreErrors.OwnRequest);

        Assert.Equal(RequestState.Approved, (await DecideOkAsync(Key("staging", consumer: "crm-sync"), User("bob"))).State);
    }

    [StoreFact]
    public async Task Only_owners_of_the_providing_app_or_admins_decide()
    {
        await SeedAsync();
        var staging = await LatestRequestAsync(Key("staging"));

        AssertRefused(await Store.DecideAsync(staging.Id, User("alice"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.DecisionForbidden, "owner of customers (bob, dave) or an admin");
        AssertRefused(await Store.DecideAsync(staging.Id, App("customers"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.DecisionForbidden);
        Assert.Equal(RequestState.Pending, (await Store.GetRequestAsync(staging.Id))!.State);

        Assert.Equal(RequestState.Approved, (await DecideOkAsync(Key("staging"), User("root"))).State);
        await DecideOkAsync(Key("production"), User("root"));
        Assert.Equal("root", Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Environment: "production"))).GrantedBy);
    }

    [StoreFact]
    public async Task A_denial_needs_a_comment_and_a_decided_request_stays_decided()
    {
        await SeedAsync();
        var staging = await LatestRequestAsync(Key("staging"));

        AssertRefused(await Store.DecideAsync(staging.Id, User("bob"), false, "  ", null),
            StoreErrorKind.Invalid, StoreErrors.CommentRequired, "comment");
        var denied = await DecideOkAsync(Key("staging"), User("bob"), approve: false, comment: "Use the export instead");

        Assert.Equal(RequestState.Denied, denied.State);
        Assert.Equal(("bob", false, "Use the export instead"), (denied.Votes[0].Approver, denied.Votes[0].Approve, denied.Votes[0].Comment));
        Assert.Equal(AccessState.Denied, (await CheckAsync(Key("staging"))).State);
        AssertRefused(await Store.DecideAsync(staging.Id, User("dave"), true, null, null),
            StoreErrorKind.Conflict, StoreErrors.RequestNotPending, "already denied by bob");
        AssertRefused(await Store.DecideAsync(424242, User("bob"), true, null, null), StoreErrorKind.NotFound, StoreErrors.RequestNotFound);
    }

    [StoreFact]
    public async Task Revoking_a_grant_needs_an_owner_or_admin_and_an_active_grant()
    {
        await SeedAsync();
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing")));

        AssertRefused(await Store.RevokeAsync(grant.Id, User("alice"), "mine", null), StoreErrorKind.Forbidden, StoreErrors.RevokeForbidden, "bob, dave");
        var revoked = await Store.RevokeAsync(grant.Id, User("bob"), "Rotating access", "req-9");

        Assert.Equal((GrantState.Revoked, "user:bob", "Rotating access", Start), (revoked.Value!.State, revoked.Value.RevokedBy, revoked.Value.RevokeReason, revoked.Value.RevokedAt));
        Assert.Equal(AccessState.Revoked, (await CheckAsync(Key("development"))).State);
        AssertRefused(await Store.RevokeAsync(grant.Id, User("root"), null, null), StoreErrorKind.Conflict, StoreErrors.GrantNotActive, "already revoked");
        AssertRefused(await Store.RevokeAsync(999, User("root"), null, null), StoreErrorKind.NotFound, StoreErrors.GrantNotFound);
        var audit = Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "grant.revoked")));
        Assert.Equal(("user:bob", "Rotating access", "req-9"), (audit.Actor, audit.Comment, audit.RequestId));
    }

    [StoreFact]
    public async Task Twenty_concurrent_approvals_of_one_request_make_one_decision_and_one_grant()
    {
        var reviewers = Enumerable.Range(1, 20).Select(i => $"reviewer{i}").ToArray();
        await PushOrganisationAsync(Organisation(("reviewers", reviewers)));
        await PushOkAsync(User("root"), Upload("customers", "team:crm, team:reviewers", [Scope("profile.read")]));
        await PushOkAsync(User("alice"), Billing());
        var request = await LatestRequestAsync(Key("staging"));

        // Two store instances on one database: two replicas deciding at once (each migrates at start, loading the audit key).
        var replica = await OpenStoreAsync(Options);
        var decisions = await Task.WhenAll(reviewers.Select((name, i) => Task.Run(() =>
            (i % 2 == 0 ? Store : replica).DecideAsync(request.Id, User(name), true, null, null))));

        var winner = Assert.Single(decisions, d => d.Succeeded);
        Assert.All(decisions.Where(d => !d.Succeeded), d => Assert.Equal(StoreErrors.RequestNotPending, d.ErrorCode));
        Assert.Equal(RequestState.Approved, winner.Value!.State);
        Assert.Single(winner.Value.Votes);
        Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Environment: "staging", ActiveOnly: false)));
        Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "request.approved")), e => e.Subject == $"request/{request.Id}");
        Assert.True((await Store.VerifyAuditAsync()).Valid);
    }
}
