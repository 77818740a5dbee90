using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task PushOrganisation_stores_users_teams_admins_and_the_file()
    {
        var organisation = Organisation();
        var result = await Store.PushOrganisationAsync(organisation, SourceText(organisation), Bootstrap, "req-1");

        Assert.True(result.Succeeded);
        Assert.True(result.Value!.Changed);
        var alice = await Store.GetUserAsync("alice");
        Assert.False(alice!.IsAdmin);
        Assert.Equal(["payments"], alice.Teams);
        Assert.True((await Store.GetUserAsync("root"))!.IsAdmin);
        Assert.Null(await Store.GetUserAsync("mallory"));

        var snapshot = await Store.GetOrganisationAsync();
        Assert.Equal("acme", snapshot!.Organisation.Name);
        Assert.Equal(["development", "staging", "production"], snapshot.Organisation.Environments.Select(e => e.Name));
        Assert.Equal(EnvironmentApproval.Owner, snapshot.Organisation.Environments[2].Approval);
        Assert.Equal(["bob", "dave"], snapshot.Organisation.Teams[0].Members);
        Assert.Equal(SourceText(organisation), snapshot.SourceText);
        Assert.Equal("bootstrap", snapshot.PushedBy);
        Assert.Equal(Start, snapshot.PushedAt);
    }

    [StoreFact]
    public async Task PushOrganisation_first_needs_the_bootstrap_token_then_an_admin()
    {
        var organisation = Organisation();
        AssertRefused(await Store.PushOrganisationAsync(organisation, SourceText(organisation), User("root"), null),
            StoreErrorKind.Forbidden, StoreErrors.OrganisationForbidden, "bootstrap");
        Assert.Null(await Store.GetOrganisationAsync());

        await PushOrganisationAsync(organisation);
        var changed = Organisation(("ops", ["erin"]));
        AssertRefused(await Store.PushOrganisationAsync(changed, SourceText(changed), User("alice"), null),
            StoreErrorKind.Forbidden, StoreErrors.OrganisationForbidden, "root");
        var byAdmin = await Store.PushOrganisationAsync(changed, SourceText(changed), User("root"), null);

        Assert.True(byAdmin.Value!.Changed);
        Assert.Equal(["ops"], (await Store.GetUserAsync("erin"))!.Teams);
        Assert.Equal("user:root", (await Store.GetOrganisationAsync())!.PushedBy);
    }

    [StoreFact]
    public async Task PushOrganisation_with_the_same_text_changes_nothing_and_writes_no_event()
    {
        await PushOrganisationAsync();
        var events = await AuditCountAsync();

        var organisation = Organisation();
        var again = await Store.PushOrganisationAsync(organisation, SourceText(organisation), Bootstrap, null);

        Assert.False(again.Value!.Changed);
        Assert.Equal(events, await AuditCountAsync());
    }

    [StoreFact]
    public async Task Team_membership_decides_who_owns_an_app()
    {
        await SeedAsync();
        Assert.Equal(["bob", "dave"], (await Store.GetAppAsync("customers"))!.OwnerUsers);

        await PushOrganisationAsync(new OrganisationFile("gatehouse/v1", "acme", ["root"], Organisation().Environments,
            [new TeamDefinition("crm", null, ["bob", "zoe"], default), Organisation().Teams[1]], default));

        Assert.Equal(["bob", "zoe"], (await Store.GetAppAsync("customers"))!.OwnerUsers);
        var staging = await LatestRequestAsync(Key("staging"));
        AssertRefused(await Store.DecideAsync(staging.Id, User("dave"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.DecisionForbidden, "bob, zoe");
    }
}
