using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Tokens;

/// <summary>A revocation takes effect at once: in the next token and in introspection of earlier ones.</summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;
    private (string Id, string Secret) _billing;
    private (string Id, string Secret) _customers;

    public async Task InitializeAsync()
    {
        _server = await OAuthTestServer.StartAsync();
        var (id, secret) = await _server.CreateClientAsync("billing", Development);
        _billing = (id, secret!);
        (id, secret) = await _server.CreateClientAsync("customers", Development);
        _customers = (id, secret!);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RevokedGrant_IsAbsentFromTheNextToken_AndEarlierTokensIntrospectInactive()
    {
        var before = await TokenClient.TokenAsync(_server, _billing, "audience=customers");
        Assert.Equal("customers:profile.read customers:status.read", before.Body["scope"]!.GetValue<string>());
        Assert.True((await TokenClient.IntrospectAsync(_server, _customers, before.AccessToken)).Body["active"]!.GetValue<bool>());

        var grant = await ActiveGrantAsync(_server.Store, "billing", "customers", "profile.read", Development);
        Assert.True((await RevokeAsync(_server.Store, grant.Id)).Succeeded);

        var after = await TokenClient.TokenAsync(_server, _billing, "audience=customers");
        Assert.Equal("customers:status.read", after.Body["scope"]!.GetValue<string>());
        var asked = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read");
        Assert.Equal("invalid_scope", asked.Error);
        var introspected = await TokenClient.IntrospectAsync(_server, _customers, before.AccessToken);
        Assert.False(introspected.Body["active"]!.GetValue<bool>());
        Assert.Single(introspected.Body.AsObject());
        Assert.True((await TokenClient.IntrospectAsync(_server, _customers, after.AccessToken)).Body["active"]!.GetValue<bool>());
    }
}
