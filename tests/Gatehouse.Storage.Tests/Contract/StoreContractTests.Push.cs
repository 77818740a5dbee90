using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Push_before_the_organisation_file_is_refused()
    {
        AssertRefused(await Store.PushAsync([Customers()], Bootstrap, null),
            StoreErrorKind.Invalid, StoreErrors.OrganisationMissing, "push the organisation file first");
        Assert.Empty(await Store.ListAppsAsync());
    }

    [StoreFact]
    public async Task Push_of_new_apps_files_a_request_per_environment_and_auto_grants_development()
    {
        await PushOrganisationAsync();
        var customers = await PushOkAsync(User("bob"), Customers());
        Assert.Equal([ChangeKind.AddApp, ChangeKind.AddScope, ChangeKind.AddScope, ChangeKind.AddScope], customers.Changes.Select(c => c.Kind));
        var before = (await Store.VerifyAuditAsync()).EventCount;

        var billing = await PushOkAsync(User("alice"), Billing());

        Assert.Equal(
            [ChangeKind.AddApp, ChangeKind.AddScope, ChangeKind.FileRequest, ChangeKind.AutoGrant, ChangeKind.FileRequest, ChangeKind.FileRequest],
            billing.Changes.Select(c => c.Kind));
        Assert.Equal("billing -> customers:profile.read@development", billing.Changes[2].Subject);
        var checks = await Store.CheckAsync([Key("development"), Key("staging"), Key("production")]);
        Assert.Equal([AccessState.Granted, AccessState.Pending, AccessState.Pending], checks.Select(c => c.State));

        var requests = (await Store.ListRequestsAsync(new RequestQuery(Consumer: "billing"))).OrderBy(r => r.Id).ToList();
        Assert.Equal(["development", "staging", "production"], requests.Select(r => r.Key.Environment));
        Assert.Equal([ApprovalMode.Auto, ApprovalMode.Owner, ApprovalMode.Owner], requests.Select(r => r.RequiredApproval));
        Assert.Equal([RequestState.Approved, RequestState.Pending, RequestState.Pending], requests.Select(r => r.State));
        Assert.All(requests, r => Assert.Equal("user:alice", r.RequestedBy));
        Assert.All(requests, r => Assert.Equal(InvoiceReason, r.Reason));
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing")));
        Assert.Equal(("development", "policy", requests[0].Id), (grant.Key.Environment, grant.GrantedBy, grant.RequestId));
        Assert.Equal(
            ["app.created", "scope.added", "request.filed", "request.approved", "grant.created", "request.filed", "request.filed"],
            await ActionsAfterAsync(before));
    }

    [StoreFact]
    public async Task Plan_shows_exactly_what_push_does_without_writing_anything()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        var events = await AuditCountAsync();

        var plan = await Store.PlanAsync([Billing()], User("alice"));

        Assert.True(plan.Succeeded);
        Assert.Equal(6, plan.Value!.Changes.Count);
        Assert.Equal(events, await AuditCountAsync());
        Assert.Null(await Store.GetAppAsync("billing"));
        Assert.Empty(await Store.ListRequestsAsync(new RequestQuery()));
        var pushed = await PushOkAsync(User("alice"), Billing());
        Assert.Equal(plan.Value.Changes, pushed.Changes);
    }

    [StoreFact]
    public async Task Pushing_the_same_manifests_again_plans_nothing_and_writes_no_event()
    {
        await SeedAsync();
        var events = await AuditCountAsync();

        var plan = await Store.PlanAsync([Customers(), Billing()], User("root"));
        var push = await PushOkAsync(User("root"), Customers(), Billing());

        Assert.True(plan.Value!.IsEmpty);
        Assert.True(push.IsEmpty);
        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal(3, (await Store.ListRequestsAsync(new RequestQuery())).Count);
        Assert.Equal("user:alice", (await Store.GetAppAsync("billing"))!.PushedBy);
    }

    [StoreFact]
    public async Task Push_needing_a_scope_no_pushed_app_declares_is_refused_whole()
    {
        await PushOrganisationAsync();
        var events = await AuditCountAsync();

        AssertRefused(await Store.PushAsync([Upload("ledger", "team:payments"), Billing()], User("root"), null),
            StoreErrorKind.Invalid, StoreErrors.UnknownScope, "push customers first");

        Assert.Empty(await Store.ListAppsAsync());
        Assert.Equal(events, await AuditCountAsync());

        // The provider may come in the same upload, in any order.
        await PushOkAsync(User("root"), Billing(), Customers());
        Assert.Equal(AccessState.Pending, (await CheckAsync(Key("staging"))).State);
        AssertRefused(await Store.PushAsync([Billing(InvoiceReason, Need("customers", "profile.delete", "Clean up"))], User("root"), null),
            StoreErrorKind.Invalid, StoreErrors.UnknownScope, "customers does not declare scope profile.delete");
    }

    [StoreFact]
    public async Task Push_needing_an_environment_the_organisation_does_not_define_is_refused()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());

        AssertRefused(await Store.PushAsync([Billing(InvoiceReason, Need("customers", "profile.read", InvoiceReason, "qa"))], User("alice"), null),
            StoreErrorKind.Invalid, StoreErrors.UnknownEnvironment, "environment qa");
        Assert.Null(await Store.GetAppAsync("billing"));
    }

    [StoreFact]
    public async Task A_deploy_token_pushes_only_its_own_app()
    {
        await SeedAsync();
        var token = await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Start.AddDays(30), "ci", User("alice"), null);
        var identity = await Store.AuthenticateTokenAsync(token.Value!.Secret);
        Assert.Equal(new TokenSubject(TokenKind.Deploy, "billing"), identity!.Subject);
        var deploy = App(identity.Subject.Name);

        AssertRefused(await Store.PushAsync([Customers("Changed by billing")], deploy, null),
            StoreErrorKind.Forbidden, StoreErrors.PushForbidden, "deploy token of billing may push only billing");
        Assert.Equal("Customer records", (await Store.GetAppAsync("customers"))!.Manifest.Description);

        await PushOkAsync(deploy, Billing("Show the customer's name on invoices"));
        Assert.Equal("app:billing", (await LatestRequestAsync(Key("staging"))).RequestedBy);
    }

    [StoreFact]
    public async Task People_push_apps_they_own_and_create_apps_that_name_them()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("carol"), Upload("ledger", "team:payments"));
        var events = await AuditCountAsync();

        AssertRefused(await Store.PushAsync([Upload("ledger", "team:payments", description: "mine now")], User("bob"), null),
            StoreErrorKind.Forbidden, StoreErrors.PushForbidden, "bob is not an owner of ledger");
        AssertRefused(await Store.PushAsync([Upload("reports", "user:alice")], User("bob"), null),
            StoreErrorKind.Forbidden, StoreErrors.PushForbidden, "bob is not among the owners reports declares");
        Assert.Equal(events, await AuditCountAsync());

        // The current owners decide, so an owner may hand the app over, and then loses it.
        var handover = await PushOkAsync(User("carol"), Upload("ledger", "user:bob"));
        Assert.Equal(ChangeKind.UpdateApp, Assert.Single(handover.Changes).Kind);
        AssertRefused(await Store.PushAsync([Upload("ledger", "user:carol")], User("carol"), null), StoreErrorKind.Forbidden, StoreErrors.PushForbidden);
        await PushOkAsync(User("bob"), Upload("ledger", "user:bob", description: "Ledger"));
    }
}
