using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Least privilege on reads of credentials (ADR 0011): a person sees her own, an admin all.</summary>
public abstract partial class StoreContractTests
{
    private async Task<Dictionary<string, string>> SeedTokensAsync()
    {
        await SeedAsync();
        async Task<string> Create(TokenKind kind, string subject, string by) =>
            (await Store.CreateTokenAsync(new TokenSubject(kind, subject), Start.AddDays(30), null, User(by), null)).Value!.Info.Id;

        return new Dictionary<string, string>
        {
            ["alice"] = await Create(TokenKind.Personal, "alice", "alice"),
            ["bob"] = await Create(TokenKind.Personal, "bob", "root"),
            ["billing-by-alice"] = await Create(TokenKind.Deploy, "billing", "alice"),
            ["billing-by-root"] = await Create(TokenKind.Deploy, "billing", "root"),
            ["customers-by-bob"] = await Create(TokenKind.Deploy, "customers", "bob"),
        };
    }

    private async Task<IReadOnlyList<string>> VisibleTokensAsync(Core.Access.Actor viewer, Dictionary<string, string> ids)
    {
        var names = ids.ToDictionary(p => p.Value, p => p.Key);
        return [.. (await Store.ListTokensAsync(viewer)).Select(t => names[t.Id]).Order(StringComparer.Ordinal)];
    }

    [StoreFact]
    public async Task A_person_sees_her_own_tokens_and_her_apps_deploy_tokens_never_anyone_elses()
    {
        var ids = await SeedTokensAsync();

        Assert.Equal(["alice", "billing-by-alice", "billing-by-root"], await VisibleTokensAsync(User("alice"), ids));
        Assert.Equal(["billing-by-alice", "billing-by-root"], await VisibleTokensAsync(User("carol"), ids));
        Assert.Equal(["bob", "customers-by-bob"], await VisibleTokensAsync(User("bob"), ids));
        Assert.Equal(["customers-by-bob"], await VisibleTokensAsync(User("dave"), ids));
    }

    [StoreFact]
    public async Task Admins_and_the_bootstrap_token_see_every_token_a_deploy_token_its_apps_and_strangers_nothing()
    {
        var ids = await SeedTokensAsync();

        Assert.Equal(ids.Keys.Order(StringComparer.Ordinal), await VisibleTokensAsync(User("root"), ids));
        Assert.Equal(ids.Keys.Order(StringComparer.Ordinal), await VisibleTokensAsync(Bootstrap, ids));
        Assert.Equal(["billing-by-alice", "billing-by-root"], await VisibleTokensAsync(App("billing"), ids));
        Assert.Empty(await VisibleTokensAsync(User("mallory"), ids));
        Assert.Empty(await VisibleTokensAsync(Core.Access.Actor.Policy, ids));
    }

    [StoreFact]
    public async Task Someone_who_no_longer_owns_an_app_still_sees_what_she_created_but_not_the_rest()
    {
        var ids = await SeedTokensAsync();

        // alice moves from payments to ops: billing is no longer hers.
        var moved = WithoutAlice(("ops", ["alice"]));
        Assert.True((await Store.PushOrganisationAsync(moved, SourceText(moved), User("root"), null)).Succeeded);

        Assert.Equal(["alice", "billing-by-alice"], await VisibleTokensAsync(User("alice"), ids));
        var visibility = await Store.CredentialVisibilityAsync(User("alice"));
        Assert.True(visibility.MaySeeClient("billing", "user:alice"));
        Assert.False(visibility.MaySeeClient("billing", "user:carol"));
        Assert.True((await Store.CredentialVisibilityAsync(User("carol"))).MaySeeClient("billing", "user:alice"));
        Assert.False((await Store.CredentialVisibilityAsync(User("carol"))).MaySeeClient("customers", "user:bob"));
        Assert.True((await Store.CredentialVisibilityAsync(App("customers"))).MaySeeClient("customers", "user:bob"));
        Assert.False((await Store.CredentialVisibilityAsync(App("customers"))).MaySeeClient("billing", "app:billing"));
        Assert.True((await Store.CredentialVisibilityAsync(User("root"))).IsEverything);
        Assert.False((await Store.CredentialVisibilityAsync(User("mallory"))).MaySeeClient("billing", "user:mallory"));
    }
}
