using Gatehouse.OAuth.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Tokens;

public sealed class ClientCredentialsTests : IAsyncLifetime
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
    public async Task GrantedScope_WithClientSecretBasic_IssuesRfc9068TokenCarryingExactlyThatScope()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read");

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Response.Headers.CacheControl?.ToString());
        Assert.NotEqual(true, answer.Response.Headers.TransferEncodingChunked); // a Content-Length: the body is whole when written
        Assert.Equal("Bearer", answer.Body["token_type"]!.GetValue<string>());
        Assert.Equal(300, answer.Body["expires_in"]!.GetValue<int>());
        var header = Jwt.Header(answer.AccessToken);
        Assert.Equal("at+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        var claims = Jwt.Payload(answer.AccessToken);
        Assert.Equal(_server.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal("billing", claims["sub"]!.GetValue<string>());
        Assert.Equal("urn:gatehouse:development:customers", claims["aud"]!.GetValue<string>());
        Assert.Equal(_billing.Id, claims["client_id"]!.GetValue<string>());
        Assert.Equal("customers:profile.read", claims["scope"]!.GetValue<string>());
        Assert.Equal(300, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(claims["jti"]!.GetValue<string>()));
    }

    [Fact]
    public async Task IssuedToken_VerifiesAgainstThePublishedJwks()
    {
        var token = (await TokenClient.TokenAsync(_server, _billing, "resource=urn:gatehouse:development:customers")).AccessToken;
        using var http = _server.Client(bearer: null);
        var jwks = new JsonWebKeySet(await http.GetStringAsync("oauth2/jwks"));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _server.Issuer,
            ValidAudience = "urn:gatehouse:development:customers",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        // Without a scope parameter, the token carries every active grant for that audience.
        Assert.Equal("customers:profile.read customers:status.read", result.Claims["scope"]);
    }

    [Fact]
    public async Task ClientSecretPost_IssuesToken()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/token",
            TokenClient.Form(("grant_type", "client_credentials"), ("client_id", _billing.Id), ("client_secret", _billing.Secret), ("audience", "customers")));

        Assert.Equal(200, answer.Status);
        Assert.Equal("urn:gatehouse:development:customers", Jwt.Payload(answer.AccessToken)["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongSecret_IsInvalidClientWith401AndBasicChallenge()
    {
        var answer = await TokenClient.TokenAsync(_server, (_billing.Id, _billing.Secret + "x"), "scope=customers:profile.read");

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
        Assert.StartsWith("Basic", answer.Response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("no-store", answer.Response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task UnknownClient_IsInvalidClient_IndistinguishableFromAWrongSecret()
    {
        var unknown = await TokenClient.TokenAsync(_server, ("cl_doesnotexist", _billing.Secret), "scope=customers:profile.read");
        var wrong = await TokenClient.TokenAsync(_server, (_billing.Id, "ghs_wrong"), "scope=customers:profile.read");

        Assert.Equal(401, unknown.Status);
        Assert.Equal("invalid_client", unknown.Error);
        Assert.Equal(wrong.Body.ToJsonString(), unknown.Body.ToJsonString());
    }

    [Fact]
    public async Task ScopeNotGranted_IsInvalidScope()
    {
        // profile.write needs two owners: still pending, so not granted.
        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read%20customers:profile.write");

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_scope", answer.Error);
        Assert.Contains("customers:profile.write", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientOfAnotherEnvironment_CannotGetTokensForThisOne()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "resource=urn:gatehouse:production:customers&scope=customers:profile.read");

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_target", answer.Error);
    }

    [Fact]
    public async Task RevokedClient_IsInvalidClient()
    {
        using var admin = _server.Client();
        Assert.True((await admin.PostAsync($"api/v1/clients/{_billing.Id}/revoke", null)).IsSuccessStatusCode);

        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read");

        Assert.Equal("invalid_client", answer.Error);
    }
}
