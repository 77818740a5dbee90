using System.Security.Cryptography;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.ClientAuthentication;

/// <summary>
/// A JWT whose header or claims name a member twice means one thing to a parser that keeps the
/// first and another to one that keeps the last (IdentityModel): refused, even when the
/// signature is good, in client assertions and in tokens sent to introspection.
/// </summary>
public sealed class DuplicateMemberTests : IAsyncLifetime
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private OAuthTestServer _server = null!;
    private string _clientId = null!;

    public async Task InitializeAsync()
    {
        _server = await OAuthTestServer.StartAsync();
        (_clientId, _) = await _server.CreateClientAsync("billing", Development, Jwt.PublicJwk(_key));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }

    private string Claims(string extra = "") =>
        $$"""{"iss":"{{_clientId}}","sub":"{{_clientId}}","aud":"{{_server.Issuer}}/oauth2/token","exp":{{Jwt.Now + 60}},"jti":"{{Guid.NewGuid():N}}"{{extra}}}""";

    private Task<TokenClient.Answer> SendAsync(string header, string payload) =>
        TokenClient.PostAsync(_server, "oauth2/token", TokenClient.Form(
            ("grant_type", "client_credentials"),
            ("scope", "customers:profile.read"),
            ("client_assertion_type", ClientAuthenticator.AssertionType),
            ("client_assertion", Jwt.EncodeRaw(header, payload, data => _key.SignData(data, HashAlgorithmName.SHA256)))), authorization: null);

    [Fact]
    public async Task TheSameAssertionWithoutRepeats_IsAccepted()
    {
        Assert.Equal(200, (await SendAsync("""{"alg":"ES256","typ":"JWT"}""", Claims())).Status);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","alg":"ES256"}""", "alg")]
    [InlineData("""{"alg":"ES256","kid":"someone-else","kid":"x"}""", "kid")]
    [InlineData("""{"alg":"ES256","typ":"JWT","\u0074yp":"JWT"}""", "typ")]
    public async Task AssertionHeaderWithARepeatedMember_IsRefused(string header, string member)
    {
        var answer = await SendAsync(header, Claims());

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
        Assert.Contains($"header has the member `{member}` more than once", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task AssertionClaimsWithARepeatedMember_AreRefused()
    {
        var repeatedSubject = await SendAsync("""{"alg":"ES256"}""", Claims($$""","sub":"{{_clientId}}" """));
        var repeatedNested = await SendAsync("""{"alg":"ES256"}""", Claims(""","cnf":{"jkt":"a","jkt":"b"}"""));

        Assert.Equal("invalid_client", repeatedSubject.Error);
        Assert.Contains("payload has the member `sub` more than once", repeatedSubject.Body["error_description"]!.GetValue<string>());
        Assert.Equal("invalid_client", repeatedNested.Error);
        Assert.Contains("`jkt` more than once", repeatedNested.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task AssertionWithACritHeader_IsRefused()
    {
        var answer = await SendAsync("""{"alg":"ES256","crit":["exp"]}""", Claims());

        Assert.Equal("invalid_client", answer.Error);
        Assert.Contains("crit", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task IntrospectedTokenWithARepeatedMember_IsInactive_EvenWhenGatehouseSignedIt()
    {
        var (billingId, billingSecret) = await _server.CreateClientAsync("billing", Development);
        var (customersId, customersSecret) = await _server.CreateClientAsync("customers", Development);
        var real = (await TokenClient.TokenAsync(_server, (billingId, billingSecret!), "scope=customers:profile.read")).AccessToken;
        var signer = (await _server.Services.GetRequiredService<KeyRing>().CurrentAsync(default)).Signer!;
        var claims = Jwt.Payload(real).ToJsonString();

        // Signed by the real key; a last-wins parser reads typ at+jwt, a first-wins one reads JWT.
        var resigned = Jwt.EncodeRaw($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{signer.Kid}}"}""", claims, data => signer.Sign(data));
        var repeated = Jwt.EncodeRaw($$"""{"alg":"ES256","typ":"JWT","kid":"{{signer.Kid}}","typ":"at+jwt"}""", claims, data => signer.Sign(data));
        var repeatedScope = Jwt.EncodeRaw($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{signer.Kid}}"}""",
            claims.TrimEnd('}') + ""","scope":"customers:profile.read"}""", data => signer.Sign(data));

        Assert.True((await TokenClient.IntrospectAsync(_server, (customersId, customersSecret!), resigned)).Body["active"]!.GetValue<bool>());
        Assert.False((await TokenClient.IntrospectAsync(_server, (customersId, customersSecret!), repeated)).Body["active"]!.GetValue<bool>());
        Assert.False((await TokenClient.IntrospectAsync(_server, (customersId, customersSecret!), repeatedScope)).Body["active"]!.GetValue<bool>());
    }
}
