using System.Security.Cryptography;
using System.Text;
using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.ClientAuthentication;

/// <summary>RFC 7523 client assertions: the good one works once, and every classic forgery fails.</summary>
public sealed class PrivateKeyJwtTests : IAsyncLifetime
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

    private string TokenEndpoint => _server.Issuer + "/oauth2/token";

    private Task<TokenClient.Answer> WithAssertionAsync(string assertion) =>
        TokenClient.PostAsync(_server, "oauth2/token", TokenClient.Form(
            ("grant_type", "client_credentials"),
            ("scope", "customers:profile.read"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion)), authorization: null);

    [Fact]
    public async Task ValidAssertion_IssuesToken()
    {
        var answer = await WithAssertionAsync(Jwt.Assertion(_key, _clientId, TokenEndpoint));

        Assert.Equal(200, answer.Status);
        Assert.Equal(_clientId, Jwt.Payload(answer.AccessToken)["client_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AssertionWithTheIssuerAsAudience_IsAccepted()
    {
        Assert.Equal(200, (await WithAssertionAsync(Jwt.Assertion(_key, _clientId, _server.Issuer))).Status);
    }

    [Fact]
    public async Task ReplayedAssertion_IsRefused()
    {
        var assertion = Jwt.Assertion(_key, _clientId, TokenEndpoint);
        Assert.Equal(200, (await WithAssertionAsync(assertion)).Status);

        var replay = await WithAssertionAsync(assertion);

        Assert.Equal(401, replay.Status);
        Assert.Equal("invalid_client", replay.Error);
        Assert.Contains("already used", replay.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredAssertion_IsRefused()
    {
        var answer = await WithAssertionAsync(Jwt.Assertion(_key, _clientId, TokenEndpoint, exp: Jwt.Now - 120));

        Assert.Equal("invalid_client", answer.Error);
        Assert.Contains("expired", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task LongLivedAssertion_IsRefused()
    {
        var answer = await WithAssertionAsync(Jwt.Assertion(_key, _clientId, TokenEndpoint, exp: Jwt.Now + 3600));

        Assert.Equal("invalid_client", answer.Error);
    }

    [Fact]
    public async Task AssertionWithoutJti_IsRefused()
    {
        var assertion = Jwt.Encode(new { alg = "ES256" }, new { iss = _clientId, sub = _clientId, aud = TokenEndpoint, exp = Jwt.Now + 60 },
            data => _key.SignData(data, HashAlgorithmName.SHA256));

        Assert.Equal("invalid_client", (await WithAssertionAsync(assertion)).Error);
    }

    [Fact]
    public async Task AlgNoneAssertion_IsRefused()
    {
        var assertion = Jwt.Unsigned(new { alg = "none" }, new { iss = _clientId, sub = _clientId, aud = TokenEndpoint, exp = Jwt.Now + 60, jti = "n1" });

        var answer = await WithAssertionAsync(assertion);

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
    }

    [Fact]
    public async Task HmacAssertionKeyedWithThePublicKey_IsRefused()
    {
        // The key-confusion attack: HS256 with the (public) key text as the shared secret.
        var publicKeyText = System.Text.Json.JsonSerializer.Serialize(Jwt.PublicJwk(_key));
        var assertion = Jwt.Encode(new { alg = "HS256" }, new { iss = _clientId, sub = _clientId, aud = TokenEndpoint, exp = Jwt.Now + 60, jti = "h1" },
            data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicKeyText), data));

        var answer = await WithAssertionAsync(assertion);

        Assert.Equal("invalid_client", answer.Error);
        Assert.Contains("HS256", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task AssertionSignedByAnUnregisteredKey_IsRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal("invalid_client", (await WithAssertionAsync(Jwt.Assertion(other, _clientId, TokenEndpoint))).Error);
    }

    [Fact]
    public async Task AssertionForAnotherAudience_IsRefused()
    {
        Assert.Equal("invalid_client", (await WithAssertionAsync(Jwt.Assertion(_key, _clientId, "https://elsewhere.example/token"))).Error);
    }

    [Fact]
    public async Task SecretClient_CannotUseAnAssertion_AndKeyClient_HasNoSecret()
    {
        var (secretClient, secret) = await _server.CreateClientAsync("billing", Development);
        Assert.NotNull(secret);

        Assert.Equal("invalid_client", (await WithAssertionAsync(Jwt.Assertion(_key, secretClient, TokenEndpoint))).Error);
    }
}
