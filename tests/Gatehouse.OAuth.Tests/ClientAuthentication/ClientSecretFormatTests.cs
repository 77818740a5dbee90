using System.Security.Cryptography;
using System.Text;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Storage.Relational;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.ClientAuthentication;

/// <summary>Client secrets carry Gatehouse's prefix and checksum (ADR 0015); secrets issued before it keep working.</summary>
public sealed class ClientSecretFormatTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;
    private (string Id, string Secret) _billing;

    public async Task InitializeAsync()
    {
        _server = await OAuthTestServer.StartAsync();
        var (id, secret) = await _server.CreateClientAsync("billing", Development);
        _billing = (id, secret!);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void ANewClientSecret_HasTheGthcPrefixAndAValidChecksum()
    {
        Assert.StartsWith("gthc_", _billing.Secret, StringComparison.Ordinal);
        Assert.True(Core.Secrets.SecretFormat.IsWellFormed(_billing.Secret, Core.Secrets.SecretKind.ClientSecret));
    }

    [Fact]
    public async Task AClientSecretIssuedInTheOldGhsFormat_StillGetsATokenAndItsChecksumlessTwinDoesNot()
    {
        const string old = "ghs_T2xkLWZvcm1hdC1jbGllbnQtc2VjcmV0LXRlc3Q-_01";
        await ExecuteAsync($"UPDATE oauth_clients SET secret_hash = '{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(old)))}' WHERE id = '{_billing.Id}'");

        var answer = await TokenClient.TokenAsync(_server, (_billing.Id, old), "scope=customers:profile.read");
        var replaced = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read");

        Assert.Equal(200, answer.Status);
        Assert.Equal("invalid_client", replaced.Error);
    }

    [Fact]
    public async Task ASecretFailingItsChecksum_IsRefusedBeforeTheClientIsLookedUp()
    {
        var badChecksum = _billing.Secret[..^1] + (_billing.Secret[^1] == 'a' ? 'b' : 'a');

        // With the clients table gone, a lookup would fail the request with a 500.
        await ExecuteAsync("ALTER TABLE oauth_clients RENAME TO oauth_clients_elsewhere");
        TokenClient.Answer refused;
        try
        {
            refused = await TokenClient.TokenAsync(_server, (_billing.Id, badChecksum), "scope=customers:profile.read");
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE oauth_clients_elsewhere RENAME TO oauth_clients");
        }

        var unknownClient = await TokenClient.TokenAsync(_server, ("cl_doesnotexist", _billing.Secret), "scope=customers:profile.read");
        Assert.Equal(401, refused.Status);
        Assert.Equal(unknownClient.Body.ToJsonString(), refused.Body.ToJsonString());
    }

    private async Task ExecuteAsync(string sql)
    {
        var store = (RelationalStore)_server.Store;
        await using var lease = await store.Engine.OpenAsync(default);
        await Db.ExecuteAsync(lease.Connection, null, sql, default);
    }
}
