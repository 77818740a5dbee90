using System.Security.Cryptography;
using System.Text;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.AspNetCore;

/// <summary>Gatehouse.AspNetCore in a real service: the right token passes, every forgery gets 401.</summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private OAuthTestServer _gatehouse = null!;
    private ResourceServer _customers = null!;
    private (string Id, string Secret) _billing;

    public async Task InitializeAsync()
    {
        _gatehouse = await OAuthTestServer.StartAsync();
        _customers = await ResourceServer.StartAsync(_gatehouse.Issuer, "customers", Development);
        var (id, secret) = await _gatehouse.CreateClientAsync("billing", Development);
        _billing = (id, secret!);
    }

    public async Task DisposeAsync()
    {
        await _customers.DisposeAsync();
        await _gatehouse.DisposeAsync();
    }

    private async Task<string> TokenAsync(string parameters = "scope=customers:profile.read") =>
        (await TokenClient.TokenAsync(_gatehouse, _billing, parameters)).AccessToken;

    private async Task<SigningKey> SignerAsync() =>
        (await _gatehouse.Services.GetRequiredService<KeyRing>().CurrentAsync(default)).Signer!;

    [Fact]
    public async Task TokenWithTheRequiredScope_IsAccepted()
    {
        var response = await _customers.SendAsync(HttpMethod.Get, "/profiles/42", await TokenAsync());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"caller\":\"billing\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TokenWithoutTheRequiredScope_Is403InsufficientScope()
    {
        var response = await _customers.SendAsync(HttpMethod.Put, "/profiles/42", await TokenAsync());

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task NoToken_Is401WithABearerChallenge()
    {
        var response = await _customers.SendAsync(HttpMethod.Get, "/profiles/42", null);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRejected()
    {
        await using var production = await ResourceServer.StartAsync(_gatehouse.Issuer, "customers", Production);
        await using var billing = await ResourceServer.StartAsync(_gatehouse.Issuer, "billing", Development);
        var token = await TokenAsync();

        Assert.Equal(401, (int)(await production.SendAsync(HttpMethod.Get, "/profiles/42", token)).StatusCode);
        Assert.Equal(401, (int)(await billing.SendAsync(HttpMethod.Get, "/profiles/42", token)).StatusCode);
    }

    [Fact]
    public async Task AlgNoneToken_IsRejected()
    {
        var claims = Jwt.Payload(await TokenAsync());
        var unsigned = Jwt.Unsigned(new { alg = "none", typ = "at+jwt" }, claims);

        var response = await _customers.SendAsync(HttpMethod.Get, "/profiles/42", unsigned);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task HmacTokenKeyedWithThePublishedPublicKey_IsRejected()
    {
        using var http = _gatehouse.Client(bearer: null);
        var jwks = await http.GetStringAsync("oauth2/jwks");
        var key = System.Text.Json.Nodes.JsonNode.Parse(jwks)!["keys"]![0]!;
        var claims = Jwt.Payload(await TokenAsync());
        foreach (var secret in new[] { key.ToJsonString(), key["x"]!.GetValue<string>() + key["y"]!.GetValue<string>() })
        {
            var forged = Jwt.Encode(new { alg = "HS256", typ = "at+jwt", kid = key["kid"]!.GetValue<string>() }, claims,
                data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));

            Assert.Equal(401, (int)(await _customers.SendAsync(HttpMethod.Get, "/profiles/42", forged)).StatusCode);
        }
    }

    [Fact]
    public async Task TokenSignedByAnotherKeyWithTheSameKid_IsRejected()
    {
        var real = await TokenAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Jwt.Encode(Jwt.Header(real), Jwt.Payload(real), data => other.SignData(data, HashAlgorithmName.SHA256));

        Assert.Equal(401, (int)(await _customers.SendAsync(HttpMethod.Get, "/profiles/42", forged)).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_IsRejected()
    {
        var signer = await SignerAsync();
        var expired = AccessTokenMinter.Mint(signer, _gatehouse.Issuer, "billing", "urn:gatehouse:development:customers", _billing.Id,
            "customers:profile.read", DateTimeOffset.UtcNow.AddMinutes(-10), TimeSpan.FromMinutes(5));
        var fresh = AccessTokenMinter.Mint(signer, _gatehouse.Issuer, "billing", "urn:gatehouse:development:customers", _billing.Id,
            "customers:profile.read", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

        Assert.Equal(401, (int)(await _customers.SendAsync(HttpMethod.Get, "/profiles/42", expired)).StatusCode);
        Assert.Equal(200, (int)(await _customers.SendAsync(HttpMethod.Get, "/profiles/42", fresh)).StatusCode);
    }

    [Fact]
    public async Task SignedJwtThatIsNotAnAccessToken_IsRejected()
    {
        // An ID-token-like JWT (typ JWT) signed by the real key must not pass as an access token (RFC 9068 section 4).
        var signer = await SignerAsync();
        var claims = Jwt.Payload(await TokenAsync());
        var token = Jwt.Encode(new { alg = "ES256", typ = "JWT", kid = signer.Kid }, claims, data => signer.Sign(data));

        Assert.Equal(401, (int)(await _customers.SendAsync(HttpMethod.Get, "/profiles/42", token)).StatusCode);
    }

    [Fact]
    public async Task Rs256Issuer_IssuesTokensTheLibraryAccepts()
    {
        await using var gatehouse = await OAuthTestServer.StartAsync("--GATEHOUSE_OAUTH_SIGNING_ALG=RS256", "--GATEHOUSE_OAUTH_TOKEN_SECONDS=120");
        await using var customers = await ResourceServer.StartAsync(gatehouse.Issuer, "customers", Development);
        var (id, secret) = await gatehouse.CreateClientAsync("billing", Development);

        var answer = await TokenClient.TokenAsync(gatehouse, (id, secret!), "scope=customers:profile.read");

        Assert.Equal("RS256", Jwt.Header(answer.AccessToken)["alg"]!.GetValue<string>());
        Assert.Equal(120, answer.Body["expires_in"]!.GetValue<int>());
        Assert.Equal(200, (int)(await customers.SendAsync(HttpMethod.Get, "/profiles/1", answer.AccessToken)).StatusCode);
    }
}
