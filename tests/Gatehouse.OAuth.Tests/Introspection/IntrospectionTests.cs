using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Introspection;

public sealed class IntrospectionTests : IAsyncLifetime
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
    public async Task TokenForTheCallersApp_IsActiveWithItsClaims()
    {
        var token = (await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read")).AccessToken;

        var answer = await TokenClient.IntrospectAsync(_server, _customers, token);

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Response.Headers.CacheControl?.ToString());
        Assert.True(answer.Body["active"]!.GetValue<bool>());
        Assert.Equal("customers:profile.read", answer.Body["scope"]!.GetValue<string>());
        Assert.Equal("billing", answer.Body["sub"]!.GetValue<string>());
        Assert.Equal(_billing.Id, answer.Body["client_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenMeantForAnotherApp_IsInactiveForThisCaller()
    {
        var token = (await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read")).AccessToken;

        // billing's own client asks about a token meant for customers: no scanning of others' tokens.
        var answer = await TokenClient.IntrospectAsync(_server, _billing, token);

        Assert.False(answer.Body["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJiaWxsaW5nIn0.")]
    public async Task MalformedOrUnsignedToken_IsInactive(string token)
    {
        var answer = await TokenClient.IntrospectAsync(_server, _customers, token);

        Assert.Equal(200, answer.Status);
        Assert.False(answer.Body["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TamperedToken_IsInactive()
    {
        var token = (await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read")).AccessToken;
        var parts = token.Split('.');
        var claims = Jwt.Payload(token);
        claims["scope"] = "customers:profile.read customers:profile.write";
        var forged = parts[0] + "." + Jwt.Part(claims) + "." + parts[2];

        Assert.False((await TokenClient.IntrospectAsync(_server, _customers, forged)).Body["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UnauthenticatedCaller_IsInvalidClient()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/introspect", "token=abc", authorization: null);

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
    }
}
