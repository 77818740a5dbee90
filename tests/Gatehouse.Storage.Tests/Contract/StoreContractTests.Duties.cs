using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>
/// Separation of duties by person (issue 9): the people behind a request never decide it,
/// whichever credential they use; the bootstrap token files and decides nothing; two-owners
/// takes a current owner; a deploy token never changes who owns its app.
/// </summary>
public abstract partial class StoreContractTests
{
    /// <summary>A deploy token of <paramref name="app"/> created by <paramref name="creator"/>, as the server authenticates it.</summary>
    private async Task<Actor> DeployTokenAsync(string app, string creator, string? triggeredBy = null)
    {
        var issued = await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, app), Start.AddDays(30), "ci", User(creator), null);
        Assert.True(issued.Succeeded, issued.ErrorMessage);
        return App(app) with { TokenId = issued.Value!.Info.Id, TriggeredBy = triggeredBy };
    }

    [StoreFact]
    public async Task A_person_who_owns_both_apps_cannot_approve_what_her_deploy_token_filed()
    {
        await PushOrganisationAsync(Organisation(("ops", ["erin"])));
        await PushOkAsync(User("bob"), Upload("customers", "team:crm, team:ops", [Scope("profile.read")]));
        await PushOkAsync(User("alice"), Upload("billing", "team:payments, team:ops", [Scope("invoices.read")]));
        var deploy = await DeployTokenAsync("billing", "erin");

        await PushOkAsync(deploy, Upload("billing", "team:payments, team:ops", [Scope("invoices.read")], [Need("customers", "profile.read", InvoiceReason)]));
        var request = await LatestRequestAsync(Key("staging"));

        Assert.Equal(("app:billing", new RequestPerson("erin", PersonRole.TokenCreator)), (request.RequestedBy, Assert.Single(request.People)));
        AssertRefused(await Store.DecideAsync(request.Id, User("erin"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.BehindRequest, $"erin created the deploy token that filed request {request.Id}");
        AssertRefused(await Store.DecideAsync(request.Id, User("erin"), false, "not like this", null),
            StoreErrorKind.Forbidden, StoreErrors.BehindRequest);
        Assert.Equal(RequestState.Pending, (await Store.GetRequestAsync(request.Id))!.State);
        Assert.Equal(RequestState.Approved, (await DecideOkAsync(Key("staging"), User("bob"))).State);
    }

    [StoreFact]
    public async Task The_person_who_triggered_the_CI_run_does_not_decide_what_it_filed()
    {
        await SeedAsync();
        var deploy = await DeployTokenAsync("billing", "alice", triggeredBy: "dave");

        await PushOkAsync(deploy, Billing("Show the customer's name on invoices"));
        var request = await LatestRequestAsync(Key("staging"));

        Assert.Equal([new RequestPerson("alice", PersonRole.TokenCreator), new RequestPerson("dave", PersonRole.Trigger)], request.People);
        AssertRefused(await Store.DecideAsync(request.Id, User("dave"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.BehindRequest, "dave triggered the CI run", "someone other than alice and dave");
        Assert.Equal(RequestState.Approved, (await DecideOkAsync(Key("staging"), User("bob"))).State);
        var filed = (await Store.ReadAuditAsync(new AuditQuery(Action: "request.filed"))).First(e => e.Subject == $"request/{request.Id}");
        Assert.Contains("dave (trigger)", filed.Data, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_trigger_that_is_no_user_name_is_not_recorded()
    {
        await SeedAsync();
        var deploy = await DeployTokenAsync("billing", "alice", triggeredBy: "Dependabot[bot]");

        await PushOkAsync(deploy, Billing("Show the customer's name on invoices"));

        Assert.Equal([new RequestPerson("alice", PersonRole.TokenCreator)], (await LatestRequestAsync(Key("staging"))).People);
    }

    [StoreFact]
    public async Task A_deploy_push_that_names_no_token_stands_behind_every_creator_of_the_apps_live_tokens()
    {
        await SeedAsync();
        await DeployTokenAsync("billing", "alice");
        await DeployTokenAsync("billing", "carol");

        await PushOkAsync(App("billing"), Billing("Show the customer's name on invoices"));

        Assert.Equal(["alice", "carol"], (await LatestRequestAsync(Key("staging"))).People.Select(p => p.Name));
    }

    [StoreFact]
    public async Task An_admin_does_not_decide_a_request_she_pushed_whatever_token_she_uses()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("root") with { TokenId = "tok_first" }, Billing());
        var request = await LatestRequestAsync(Key("staging"));

        Assert.Equal([new RequestPerson("root", PersonRole.Pusher)], request.People);
        AssertRefused(await Store.DecideAsync(request.Id, User("root") with { TokenId = "tok_second" }, true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.OwnRequest, "filed by user:root");
    }

    [StoreFact]
    public async Task Votes_are_counted_per_person_not_per_credential()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(InvoiceReason, Need("customers", "profile.write", "Store the billing address")));
        var key = Key("staging", scope: "profile.write");
        var first = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "bob"), Start.AddDays(1), "laptop", User("bob"), null)).Value!;
        var second = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "bob"), Start.AddDays(1), "ci", User("bob"), null)).Value!;

        var voted = await DecideOkAsync(key, User("bob") with { TokenId = first.Info.Id });

        Assert.Equal(RequestState.Pending, voted.State);
        AssertRefused(await Store.DecideAsync(voted.Id, User("bob") with { TokenId = second.Info.Id }, true, null, null),
            StoreErrorKind.Conflict, StoreErrors.AlreadyApproved, "bob already approved");
        Assert.Single((await Store.GetRequestAsync(voted.Id))!.Votes);
    }

    [StoreFact]
    public async Task Two_owners_takes_two_people_one_of_them_a_current_owner_of_the_providing_app()
    {
        await PushOrganisationAsync(Organisation() with { Admins = ["root", "walter"] });
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing(InvoiceReason, Need("customers", "profile.write", "Store the billing address")));
        var key = Key("staging", scope: "profile.write");

        var first = await DecideOkAsync(key, User("root"));
        AssertRefused(await Store.DecideAsync(first.Id, User("walter"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.OwnerApprovalMissing, "current owner of customers (bob, dave)", "root approved already");
        Assert.Single((await Store.GetRequestAsync(first.Id))!.Votes);

        var approved = await DecideOkAsync(key, User("dave"));

        Assert.Equal(RequestState.Approved, approved.State);
        Assert.Equal("root, dave", Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Scope: "profile.write", Environment: "staging"))).GrantedBy);
    }

    [StoreFact]
    public async Task The_bootstrap_token_files_no_requests_casts_no_votes_and_creates_no_deploy_tokens()
    {
        await SeedAsync();
        var staging = await LatestRequestAsync(Key("staging"));
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing")));
        var events = await AuditCountAsync();

        AssertRefused(await Store.PushAsync([Billing("Another reason")], Bootstrap, null),
            StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted, "admin's personal token");
        AssertRefused(await Store.PlanAsync([Billing("Another reason")], Bootstrap), StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted);
        AssertRefused(await Store.DecideAsync(staging.Id, Bootstrap, true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted, "casts no votes", "bob, dave");
        AssertRefused(await Store.DecideAsync(staging.Id, Bootstrap, false, "no", null), StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted);
        AssertRefused(await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Start.AddDays(1), null, Bootstrap, null),
            StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted, "creates no deploy tokens");
        AssertRefused(await Store.RevokeAsync(grant.Id, Bootstrap, "cleanup", null), StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted, "revokes no grants");
        Assert.Equal(events, await AuditCountAsync());

        // What it is for still works: personal tokens for admins, revoking tokens, the organisation file.
        var rootToken = await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "root"), Start.AddDays(1), null, Bootstrap, null);
        Assert.True(rootToken.Succeeded, rootToken.ErrorMessage);
        Assert.True((await Store.RevokeTokenAsync(rootToken.Value!.Info.Id, Bootstrap, null)).Succeeded);
        await PushOrganisationAsync(Organisation(("ops", ["erin"])));
    }

    [StoreFact]
    public async Task A_deploy_token_cannot_change_its_apps_owners()
    {
        await SeedAsync();
        var deploy = await DeployTokenAsync("billing", "alice");
        var takeover = Upload("billing", "team:payments, user:mallory", [Scope("invoices.read")], [Need("customers", "profile.read", InvoiceReason)]);
        var handover = Upload("billing", "user:mallory", [Scope("invoices.read")], [Need("customers", "profile.read", InvoiceReason)]);
        var events = await AuditCountAsync();

        AssertRefused(await Store.PlanAsync([takeover], deploy), StoreErrorKind.Forbidden, StoreErrors.OwnersChangeForbidden,
            "deploy token of billing may not change its owners", "to team:payments, user:mallory", "current owner (alice, carol) or an admin");
        AssertRefused(await Store.PushAsync([takeover], deploy, null), StoreErrorKind.Forbidden, StoreErrors.OwnersChangeForbidden);
        AssertRefused(await Store.PushAsync([handover], deploy, null), StoreErrorKind.Forbidden, StoreErrors.OwnersChangeForbidden, "from team:payments to user:mallory");

        Assert.Equal(events, await AuditCountAsync());
        Assert.Equal("team:payments", Assert.Single((await Store.GetAppAsync("billing"))!.Manifest.Owners).ToString());

        // CI keeps pushing everything else; a current owner changes the owners, and their order is no change.
        await PushOkAsync(deploy, Billing("Show the customer's name on invoices"));
        await PushOkAsync(User("alice"), takeover);
        await PushOkAsync(deploy, Upload("billing", "user:mallory, team:payments", [Scope("invoices.read")], [Need("customers", "profile.read", InvoiceReason)]));
    }
}
