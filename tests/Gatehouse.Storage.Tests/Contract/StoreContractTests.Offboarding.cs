using Gatehouse.Core.Access;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Someone removed from the organisation file has no power left, at once (ADR 0011).</summary>
public abstract partial class StoreContractTests
{
    /// <summary>The test organisation without alice: payments is carol alone.</summary>
    private static OrganisationFile WithoutAlice(params (string Team, string[] Members)[] extraTeams) => Organisation(extraTeams) with
    {
        Teams = [.. Organisation(extraTeams).Teams.Select(t => t.Name == "payments" ? t with { Members = ["carol"] } : t)],
    };

    private async Task<StoreResult<PushSummary>> PushOrganisationAsRootAsync(OrganisationFile organisation) =>
        await Store.PushOrganisationAsync(organisation, SourceText(organisation), User("root"), "test-offboard");

    [StoreFact]
    public async Task The_push_that_removes_a_user_revokes_her_personal_tokens_in_the_same_transaction()
    {
        await SeedAsync();
        var laptop = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(30), "laptop", User("alice"), null)).Value!;
        var expired = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddMinutes(5), null, User("alice"), null)).Value!;
        var carols = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "carol"), Start.AddDays(30), null, User("carol"), null)).Value!;
        Time.Advance(TimeSpan.FromMinutes(10));
        var before = await AuditCountAsync();

        var pushed = await PushOrganisationAsRootAsync(WithoutAlice());

        Assert.True(pushed.Succeeded, pushed.ErrorMessage);
        Assert.Contains("removed 1 user(s), revoked 1 personal token(s)", pushed.Value!.Description, StringComparison.Ordinal);
        var report = pushed.Value.Offboarding!;
        Assert.Equal(["alice"], report.RemovedUsers);
        Assert.Equal([laptop.Info.Id], report.RevokedTokens.Select(t => t.Id));
        Assert.Null(await Store.AuthenticateTokenAsync(laptop.Secret));
        Assert.NotNull(await Store.AuthenticateTokenAsync(carols.Secret));
        var listed = await Store.ListTokensAsync(User("root"));
        Assert.Equal(Start.AddMinutes(10), listed.Single(t => t.Id == laptop.Info.Id).RevokedAt);
        Assert.Null(listed.Single(t => t.Id == expired.Info.Id).RevokedAt);
        Assert.Equal(["org.pushed", "token.revoked"], await ActionsAfterAsync(before));
        var revokedEvent = Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "token.revoked")));
        Assert.Equal(("user:root", $"token/{laptop.Info.Id}"), (revokedEvent.Actor, revokedEvent.Subject));
        Assert.Contains("alice is no longer in the organisation file", revokedEvent.Comment, StringComparison.Ordinal);
        Assert.Contains("\"removedUsers\":[\"alice\"]", Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "org.pushed", AfterSeq: before))).Data, StringComparison.Ordinal);
        Assert.True((await Store.VerifyAuditAsync()).Valid);

        // Back in the file, she needs a new token: the old one stays revoked.
        await PushOrganisationAsRootAsync(Organisation());
        Assert.Null(await Store.AuthenticateTokenAsync(laptop.Secret));
    }

    [StoreFact]
    public async Task A_personal_token_of_someone_already_gone_does_not_authenticate_and_the_next_push_revokes_it()
    {
        // A database from before offboarding existed: the user is gone, her token was never revoked.
        await SeedAsync();
        var token = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(30), null, User("alice"), null)).Value!;
        await ExecuteRawAsync(Store, "DELETE FROM team_members WHERE user_name = 'alice'");
        await ExecuteRawAsync(Store, "DELETE FROM users WHERE name = 'alice'");

        Assert.Null(await Store.AuthenticateTokenAsync(token.Secret));

        var pushed = await PushOrganisationAsRootAsync(WithoutAlice(("ops", ["erin"])));
        Assert.Empty(pushed.Value!.Offboarding!.RemovedUsers);
        Assert.Equal([token.Info.Id], pushed.Value.Offboarding.RevokedTokens.Select(t => t.Id));
    }

    [StoreFact]
    public async Task A_user_owner_entry_gives_no_power_once_that_person_leaves_the_organisation()
    {
        await PushOrganisationAsync(Organisation(("ops", ["erin"])));
        var customers = Upload("customers", "team:crm, user:erin, user:zed",
            [Scope("profile.read"), Scope("profile.write", Core.Manifests.ApprovalMode.TwoOwners), Scope("notes.read", Core.Manifests.ApprovalMode.Auto)],
            description: "Customer records");
        await PushOkAsync(User("bob"), customers);
        await PushOkAsync(User("alice"), Billing());
        // zed was never a user: the entry counts for nobody. erin owns customers while she is in the file.
        Assert.Equal(["bob", "dave", "erin"], (await Store.GetAppAsync("customers"))!.OwnerUsers);

        await PushOrganisationAsRootAsync(Organisation());

        Assert.Equal(["bob", "dave"], (await Store.GetAppAsync("customers"))!.OwnerUsers);
        Assert.Equal(["bob", "dave"], (await CheckAsync(Key("staging"))).Approvers);
        var staging = await LatestRequestAsync(Key("staging"));
        AssertRefused(await Store.DecideAsync(staging.Id, User("erin"), true, null, null),
            StoreErrorKind.Forbidden, StoreErrors.DecisionForbidden);
        AssertRefused(await Store.PushAsync([Upload("customers", "team:crm, user:erin", [Scope("profile.read")])], User("erin"), null),
            StoreErrorKind.Forbidden, StoreErrors.PushForbidden);
        AssertRefused(await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "customers"), Start.AddDays(1), null, User("erin"), null),
            StoreErrorKind.Forbidden, StoreErrors.TokenForbidden, "(bob, dave)");
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Provider: "customers", Environment: "development")));
        AssertRefused(await Store.RevokeAsync(grant.Id, User("erin"), null, null), StoreErrorKind.Forbidden, StoreErrors.RevokeForbidden);
        Assert.Empty(await Store.ListTokensAsync(User("erin")));
        Assert.Equal(RequestState.Pending, (await Store.GetRequestAsync(staging.Id))!.State);
    }

    [StoreFact]
    public async Task The_push_lists_the_live_deploy_tokens_and_clients_created_by_people_it_removed_and_lists_mark_them()
    {
        await SeedAsync();
        var oauth = OAuthStoreFactory.For(Store, Time);
        var ci = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Start.AddDays(365), "ci", User("alice"), null)).Value!;
        var revoked = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Start.AddDays(365), "old ci", User("alice"), null)).Value!;
        await Store.RevokeTokenAsync(revoked.Info.Id, User("root"), null);
        var carols = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), Start.AddDays(365), "carol's ci", User("carol"), null)).Value!;
        await oauth.CreateClientAsync(new OAuthClient("cl_alice", "billing", "production", "billing api", ClientAuthMethod.ClientSecret, "00", Start, "user:alice"), null, null);
        await oauth.CreateClientAsync(new OAuthClient("cl_gone", "billing", "staging", null, ClientAuthMethod.ClientSecret, "00", Start, "user:alice"), null, null);
        await oauth.RevokeClientAsync("cl_gone", "user:carol", null);
        await oauth.CreateClientAsync(new OAuthClient("cl_carol", "billing", "staging", null, ClientAuthMethod.ClientSecret, "00", Start, "user:carol"), null, null);

        var report = (await PushOrganisationAsRootAsync(WithoutAlice())).Value!.Offboarding!;

        var listedToken = Assert.Single(report.DeployTokens);
        Assert.Equal((ci.Info.Id, "user:alice", true), (listedToken.Id, listedToken.CreatedBy, listedToken.CreatorRemoved));
        var listedClient = Assert.Single(report.Clients);
        Assert.Equal(("cl_alice", "billing", "production", "user:alice"), (listedClient.Id, listedClient.App, listedClient.Environment, listedClient.CreatedBy));
        // They belong to billing, whose CI and service keep working until an admin revokes them.
        Assert.NotNull(await Store.AuthenticateTokenAsync(ci.Secret));
        Assert.Null((await oauth.GetClientAsync("cl_alice"))!.RevokedAt);
        var marked = (await Store.ListTokensAsync(User("root"))).ToDictionary(t => t.Id, t => t.CreatorRemoved);
        Assert.True(marked[ci.Info.Id]);
        Assert.True(marked[revoked.Info.Id]);
        Assert.False(marked[carols.Info.Id]);

        // Each later push reminds the admin, until they are revoked.
        await Store.RevokeTokenAsync(ci.Info.Id, User("root"), null);
        var again = (await PushOrganisationAsRootAsync(WithoutAlice(("ops", ["erin"])))).Value!.Offboarding!;
        Assert.Empty(again.RemovedUsers);
        Assert.Empty(again.DeployTokens);
        Assert.Equal(["cl_alice"], again.Clients.Select(c => c.Id));
    }

    [StoreFact]
    public async Task A_push_that_removes_nobody_reports_nothing()
    {
        await SeedAsync();
        await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(30), null, User("alice"), null);

        var pushed = await PushOrganisationAsRootAsync(Organisation(("ops", ["erin"])));

        Assert.True(pushed.Value!.Changed);
        Assert.Null(pushed.Value.Offboarding);
        Assert.DoesNotContain("removed", pushed.Value.Description, StringComparison.Ordinal);
    }
}
