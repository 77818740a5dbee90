using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Tokens;

/// <summary>Malformed requests are refused with the RFC 6749 section 5.2 error, never half-read.</summary>
public sealed class TokenRequestValidationTests : IAsyncLifetime
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
    public async Task RepeatedParameter_IsInvalidRequest()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read&scope=customers:status.read");

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request", answer.Error);
        Assert.Contains("`scope` is repeated", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task OversizedParameter_IsInvalidRequest_NotTruncated()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read" + new string('x', 5000));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request", answer.Error);
        Assert.Contains("longer than", answer.Body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task OversizedBody_IsInvalidRequest()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read&" + string.Join("&", Enumerable.Range(0, 2000).Select(i => $"p{i}=value")));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request", answer.Error);
    }

    [Fact]
    public async Task ParametersInTheQueryString_AreRefused()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/token?client_secret=leaked", "grant_type=client_credentials&scope=customers:profile.read", _billing);

        Assert.Equal("invalid_request", answer.Error);
    }

    [Fact]
    public async Task TwoClientAuthenticationMethods_AreInvalidRequest()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, TokenClient.Form(("client_id", _billing.Id), ("client_secret", _billing.Secret), ("scope", "customers:profile.read")));

        Assert.Equal("invalid_request", answer.Error);
    }

    [Fact]
    public async Task MissingGrantType_IsInvalidRequest()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/token", "scope=customers:profile.read", _billing);

        Assert.Equal("invalid_request", answer.Error);
    }

    [Fact]
    public async Task OtherGrantType_IsUnsupportedGrantType()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/token", "grant_type=password&username=a&password=b", _billing);

        Assert.Equal(400, answer.Status);
        Assert.Equal("unsupported_grant_type", answer.Error);
    }

    [Fact]
    public async Task NoAudienceAndNoScope_IsInvalidRequest()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "");

        Assert.Equal("invalid_request", answer.Error);
    }

    [Theory]
    [InlineData("scope=profile.read")]
    [InlineData("scope=customers:profile.read%20billing:invoices.read")]
    [InlineData("resource=urn:gatehouse:development:billing&scope=customers:profile.read")]
    public async Task ScopeThatIsMalformedOrOfAnotherAudience_IsInvalidScopeOrRequest(string parameters)
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, parameters);

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.Error, new[] { "invalid_scope", "invalid_request" });
    }

    [Fact]
    public async Task ResourceThatIsNotAGatehouseAudience_IsInvalidTarget()
    {
        var answer = await TokenClient.TokenAsync(_server, _billing, "resource=https://example.com/api");

        Assert.Equal("invalid_target", answer.Error);
    }

    [Fact]
    public async Task NoClientAuthentication_IsInvalidClient()
    {
        var answer = await TokenClient.PostAsync(_server, "oauth2/token", "grant_type=client_credentials&client_id=" + _billing.Id, authorization: null);

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
    }
}
