using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Tests.Infrastructure;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Rotating_a_client_secret_keeps_the_replaced_hash_until_the_stated_time_and_audits_it()
    {
        await SeedAsync();
        var oauth = OAuthStoreFactory.For(Store, Time);
        await oauth.CreateClientAsync(new OAuthClient("cl_rot", "billing", "production", null, ClientAuthMethod.ClientSecret, "aa", Start, "user:alice"), null, null);
        var before = await AuditCountAsync();

        Assert.True(await oauth.RotateClientSecretAsync("cl_rot", "bb", Start.AddHours(24), "user:alice", null));

        var rotated = (await oauth.GetClientAsync("cl_rot"))!;
        Assert.Equal(("bb", "aa", Start.AddHours(24)), (rotated.SecretHash, rotated.PreviousSecretHash, rotated.PreviousSecretExpiresAt!.Value));
        Assert.True(rotated.PreviousSecretValidAt(Start.AddHours(23)));
        Assert.False(rotated.PreviousSecretValidAt(Start.AddHours(24)));
        Assert.Equal(["client.secret_rotated"], await ActionsAfterAsync(before));

        // Without an overlap nothing of the old secret is kept.
        Assert.True(await oauth.RotateClientSecretAsync("cl_rot", "cc", null, "user:alice", null));
        var stopped = (await oauth.GetClientAsync("cl_rot"))!;
        Assert.Equal(("cc", null, null), (stopped.SecretHash, stopped.PreviousSecretHash, stopped.PreviousSecretExpiresAt));
        Assert.True((await Store.VerifyAuditAsync()).Valid);
    }

    [StoreFact]
    public async Task A_revoked_or_key_client_has_no_secret_to_rotate()
    {
        await SeedAsync();
        var oauth = OAuthStoreFactory.For(Store, Time);
        await oauth.CreateClientAsync(new OAuthClient("cl_gone", "billing", "production", null, ClientAuthMethod.ClientSecret, "aa", Start, "user:alice"), null, null);
        await oauth.RevokeClientAsync("cl_gone", "user:alice", null);
        await oauth.CreateClientAsync(new OAuthClient("cl_key", "billing", "production", null, ClientAuthMethod.PrivateKeyJwt, null, Start, "user:alice"), null, null);

        Assert.False(await oauth.RotateClientSecretAsync("cl_gone", "bb", null, "user:alice", null));
        Assert.False(await oauth.RotateClientSecretAsync("cl_key", "bb", null, "user:alice", null));
        Assert.False(await oauth.RotateClientSecretAsync("cl_nobody", "bb", null, "user:alice", null));
        Assert.Equal("aa", (await oauth.GetClientAsync("cl_gone"))!.SecretHash);
    }
}
