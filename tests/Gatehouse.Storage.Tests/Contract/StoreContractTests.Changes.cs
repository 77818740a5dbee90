using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Changing a need's reason, removing a need, deprecating and removing a scope.</summary>
public abstract partial class StoreContractTests
{
    private const string NewReason = "Show the customer's legal name on invoices";

    [StoreFact]
    public async Task Changing_the_reason_supersedes_a_pending_request_and_files_a_new_one()
    {
        await SeedAsync();
        var old = await LatestRequestAsync(Key("staging"));
        var oldGrant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing")));

        var plan = await PushOkAsync(User("alice"), Billing(NewReason));

        Assert.Equal(
            [ChangeKind.UpdateApp, ChangeKind.FileRequest, ChangeKind.AutoGrant, ChangeKind.SupersedeRequest, ChangeKind.FileRequest, ChangeKind.SupersedeRequest, ChangeKind.FileRequest],
            plan.Changes.Select(c => c.Kind));
        Assert.Equal(RequestState.Superseded, (await Store.GetRequestAsync(old.Id))!.State);
        var renewed = await LatestRequestAsync(Key("staging"));
        Assert.Equal((RequestState.Pending, NewReason), (renewed.State, renewed.Reason));
        Assert.Equal(renewed.Id, (await CheckAsync(Key("staging"))).RequestId);

        // In development the policy approves the new text at once and the new grant replaces the old.
        var development = await LatestRequestAsync(Key("development"));
        var grants = await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", ActiveOnly: false));
        Assert.Equal($"replaced by request {development.Id}", grants.Single(g => g.Id == oldGrant.Id).RevokeReason);
        var active = Assert.Single(grants, g => g.State == GrantState.Active);
        Assert.Equal(development.Id, active.RequestId);
    }

    [StoreFact]
    public async Task Changing_the_reason_of_a_granted_need_keeps_the_grant_until_the_new_request_is_approved()
    {
        await SeedAsync();
        var first = await DecideOkAsync(Key("staging"), User("bob"));
        var oldGrant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "staging")));

        await PushOkAsync(User("alice"), Billing(NewReason));

        var renewed = await LatestRequestAsync(Key("staging"));
        Assert.Equal((RequestState.Pending, NewReason), (renewed.State, renewed.Reason));
        var check = await CheckAsync(Key("staging"));
        Assert.Equal((AccessState.Granted, first.Id), (check.State, check.RequestId));

        await DecideOkAsync(Key("staging"), User("dave"));

        var grants = await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "staging", ActiveOnly: false));
        var revoked = grants.Single(g => g.Id == oldGrant.Id);
        Assert.Equal((GrantState.Revoked, $"replaced by request {renewed.Id}"), (revoked.State, revoked.RevokeReason));
        Assert.Equal(renewed.Id, Assert.Single(grants, g => g.State == GrantState.Active).RequestId);
        Assert.Equal((AccessState.Granted, renewed.Id), ((await CheckAsync(Key("staging"))).State, (await CheckAsync(Key("staging"))).RequestId));
    }

    [StoreFact]
    public async Task Denying_a_new_reason_revokes_the_grant_it_would_have_replaced()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));
        await PushOkAsync(User("alice"), Billing(NewReason));

        var denied = await DecideOkAsync(Key("staging"), User("bob"), approve: false, comment: "The old reason was fine");

        Assert.Equal(RequestState.Denied, denied.State);
        Assert.Empty(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "staging")));
        Assert.Equal(AccessState.Denied, (await CheckAsync(Key("staging"))).State);
    }

    [StoreFact]
    public async Task The_same_reason_is_not_asked_again_after_a_denial_or_a_revocation_but_a_new_reason_is()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"), approve: false, comment: "Use the export instead");
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing")));
        Assert.True((await Store.RevokeAsync(grant.Id, User("dave"), "No longer needed", null)).Succeeded);

        Assert.True((await PushOkAsync(User("alice"), Billing())).IsEmpty);
        Assert.Equal(AccessState.Denied, (await CheckAsync(Key("staging"))).State);
        Assert.Equal(AccessState.Revoked, (await CheckAsync(Key("development"))).State);

        var plan = await PushOkAsync(User("alice"), Billing(NewReason));

        Assert.Equal(
            [ChangeKind.UpdateApp, ChangeKind.FileRequest, ChangeKind.AutoGrant, ChangeKind.FileRequest, ChangeKind.SupersedeRequest, ChangeKind.FileRequest],
            plan.Changes.Select(c => c.Kind));
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("development"))).State);
        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("staging"))).State);
    }

    [StoreFact]
    public async Task Removing_a_need_revokes_its_grants_and_withdraws_its_requests()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));
        var production = await LatestRequestAsync(Key("production"));

        var plan = await PushOkAsync(User("alice"), Upload("billing", "team:payments", [Scope("invoices.read")]));

        Assert.Equal([ChangeKind.UpdateApp, ChangeKind.SupersedeRequest, ChangeKind.RevokeGrant, ChangeKind.RevokeGrant],
            plan.Changes.Select(c => c.Kind).OrderBy(k => k));
        var grants = await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", ActiveOnly: false));
        Assert.Equal(2, grants.Count);
        Assert.All(grants, g => Assert.Equal((GrantState.Revoked, "need removed from manifest", "user:alice"), (g.State, g.RevokeReason, g.RevokedBy)));
        Assert.Equal(RequestState.Superseded, (await Store.GetRequestAsync(production.Id))!.State);
        var checks = await Store.CheckAsync([Key("development"), Key("staging"), Key("production")]);
        Assert.Equal([AccessState.Revoked, AccessState.Revoked, AccessState.NotRequested], checks.Select(c => c.State));
    }

    [StoreFact]
    public async Task Removing_a_scope_that_has_active_grants_is_refused_and_writes_nothing()
    {
        await SeedAsync();
        var events = await AuditCountAsync();

        AssertRefused(await Store.PushAsync([Customers("Customer records", Scope("profile.write", ApprovalMode.TwoOwners), Scope("notes.read", ApprovalMode.Auto))], User("bob"), null),
            StoreErrorKind.Conflict, StoreErrors.ScopeInUse, "customers:profile.read", "1 active grant", "deprecate it first");

        Assert.Equal(events, await AuditCountAsync());
        Assert.Contains((await Store.GetAppAsync("customers"))!.Manifest.Scopes, s => s.Name == "profile.read");
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("development"))).State);
    }

    [StoreFact]
    public async Task A_scope_is_deprecated_first_and_removed_once_no_app_uses_it()
    {
        await SeedAsync();
        var before = await AuditCountAsync();
        var remaining = new[] { Scope("profile.write", ApprovalMode.TwoOwners), Scope("notes.read", ApprovalMode.Auto) };

        var deprecate = await PushOkAsync(User("bob"), Customers("Customer records", [Scope("profile.read", deprecated: "Use profile.summary"), .. remaining]));

        Assert.Equal([ChangeKind.UpdateApp, ChangeKind.DeprecateScope], deprecate.Changes.Select(c => c.Kind));
        var deprecated = Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "scope.deprecated")));
        Assert.Equal(("customers:profile.read", "Use profile.summary"), (deprecated.Subject, deprecated.Comment));
        Assert.Equal(AccessState.Granted, (await CheckAsync(Key("development"))).State);

        // The consumer drops the need and the provider removes the scope in one push: allowed,
        // because the push itself revokes the last grant.
        var remove = await PushOkAsync(User("root"), Upload("billing", "team:payments", [Scope("invoices.read")]), Customers("Customer records", remaining));

        Assert.Contains(remove.Changes, c => c.Kind == ChangeKind.RemoveScope && c.Subject == "customers:profile.read");
        Assert.Contains(remove.Changes, c => c.Kind == ChangeKind.RevokeGrant);
        Assert.DoesNotContain((await Store.GetAppAsync("customers"))!.Manifest.Scopes, s => s.Name == "profile.read");
        Assert.Contains("scope.removed", await ActionsAfterAsync(before));
    }

    [StoreFact]
    public async Task Removing_a_scope_withdraws_its_pending_requests()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(InvoiceReason, Need("customers", "profile.read", InvoiceReason, "production")));
        var pending = await LatestRequestAsync(Key("production"));

        var plan = await PushOkAsync(User("bob"), Customers("Customer records", Scope("profile.write", ApprovalMode.TwoOwners)));

        Assert.Contains(plan.Changes, c => c.Kind == ChangeKind.SupersedeRequest && c.Description.Contains("scope removed", StringComparison.Ordinal));
        Assert.Equal(RequestState.Superseded, (await Store.GetRequestAsync(pending.Id))!.State);
        Assert.Equal(2, plan.Changes.Count(c => c.Kind == ChangeKind.RemoveScope));
    }
}
