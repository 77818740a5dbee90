using Gatehouse.Core.Access;
using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Tests.Infrastructure;
using Gatehouse.Storage.Usage;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Last use of grants and credentials (ADR 0024): only ever forward, whichever replica flushes last.</summary>
public abstract partial class StoreContractTests
{
    private static UsageBatch Grants(params GrantUse[] uses) => new(uses, [], []);

    private static GrantUse Used(AccessKey key, DateTimeOffset at) => new(key.Consumer, key.Provider, key.Scope, key.Environment, at);

    [StoreFact]
    public async Task Two_replicas_flushing_in_any_order_never_move_a_grants_last_use_back()
    {
        await SeedAsync();
        var grant = (await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "development"))).Single();
        var replicaA = UsageStoreFactory.For(Store);
        var replicaB = UsageStoreFactory.For(await OpenStoreAsync(Options));
        Assert.Empty(await replicaA.GrantLastUseAsync([grant.Id]));

        await replicaA.WriteAsync(Grants(Used(grant.Key, Start.AddMinutes(10))));
        await replicaB.WriteAsync(Grants(Used(grant.Key, Start.AddMinutes(5)))); // older, flushed later

        Assert.Equal(Start.AddMinutes(10), (await replicaB.GrantLastUseAsync([grant.Id]))[grant.Id]);

        await replicaB.WriteAsync(Grants(Used(grant.Key, Start.AddMinutes(20))));
        Assert.Equal(Start.AddMinutes(20), (await replicaA.GrantLastUseAsync([grant.Id]))[grant.Id]);
    }

    [StoreFact]
    public async Task Recording_use_is_no_change_it_appends_no_audit_event_and_keeps_the_change_version()
    {
        await SeedAsync();
        var version = await Store.ChangeVersionAsync();

        await UsageStoreFactory.For(Store).WriteAsync(Grants(Used(Key("development"), Start.AddMinutes(1))));

        Assert.Equal(version, await Store.ChangeVersionAsync());
        Assert.True((await Store.VerifyAuditAsync()).Valid);
    }

    [StoreFact]
    public async Task Only_the_active_grant_of_an_access_records_use_a_revoked_one_keeps_its_record()
    {
        await SeedAsync();
        var usage = UsageStoreFactory.For(Store);
        var grant = (await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "development"))).Single();
        await usage.WriteAsync(Grants(Used(grant.Key, Start.AddMinutes(1))));
        Assert.True((await Store.RevokeAsync(grant.Id, User("bob"), "no longer needed", null)).Succeeded);

        await usage.WriteAsync(Grants(Used(grant.Key, Start.AddMinutes(2)), Used(Key("production"), Start.AddMinutes(2))));

        Assert.Equal(Start.AddMinutes(1), (await usage.GrantLastUseAsync([grant.Id]))[grant.Id]);
        var pending = await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "production", ActiveOnly: false));
        Assert.Empty(pending); // production was never approved: the use of a key with no grant writes nothing
    }

    [StoreFact]
    public async Task Tokens_and_clients_keep_their_newest_use_and_a_client_the_scopes_of_that_use()
    {
        await SeedAsync();
        var token = (await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "alice"), Start.AddDays(30), "laptop", User("alice"), null)).Value!.Info;
        var oauth = OAuthStoreFactory.For(Store, Time);
        await oauth.CreateClientAsync(new OAuthClient("cl_use", "billing", "development", null, ClientAuthMethod.ClientSecret, "aa", Start, "user:alice"), null, null);
        var replicaA = UsageStoreFactory.For(Store);
        var replicaB = UsageStoreFactory.For(await OpenStoreAsync(Options));

        await replicaA.WriteAsync(new UsageBatch([], [new CredentialUse(token.Id, Start.AddMinutes(3))], [new CredentialUse("cl_use", Start.AddMinutes(3), "customers:profile.read")]));
        await replicaB.WriteAsync(new UsageBatch([], [new CredentialUse(token.Id, Start.AddMinutes(2))], [new CredentialUse("cl_use", Start.AddMinutes(2), "customers:notes.read")]));

        Assert.Equal(new CredentialLastUse(Start.AddMinutes(3)), (await replicaB.TokenLastUseAsync([token.Id, "tok_unknown"]))[token.Id]);
        Assert.Equal(new CredentialLastUse(Start.AddMinutes(3), "customers:profile.read"), (await replicaB.ClientLastUseAsync(["cl_use"]))["cl_use"]);

        await replicaB.WriteAsync(new UsageBatch([], [], [new CredentialUse("cl_use", Start.AddMinutes(4), "customers:notes.read")]));
        Assert.Equal(new CredentialLastUse(Start.AddMinutes(4), "customers:notes.read"), (await replicaA.ClientLastUseAsync(["cl_use"]))["cl_use"]);
    }
}
