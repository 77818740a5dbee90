using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Tokens;

/// <summary>
/// With the per-address OAuth limit off, token requests skip the general pipeline (ADR 0040): the
/// endpoint must still refuse at once what it refused before, keep the per-client limit, and be
/// seen under its route.
/// </summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class TokenHotPathTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;
    private (string Id, string Secret) _billing;

    public async Task InitializeAsync()
    {
        _server = await OAuthTestServer.StartAsync("--GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS=off", "--GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT=3/min");
        var (id, secret) = await _server.CreateClientAsync("billing", Development);
        _billing = (id, secret!);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_revoked_grant_and_then_a_revoked_client_are_refused_at_once()
    {
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read")).Status);

        var grant = await ActiveGrantAsync(_server.Store, "billing", "customers", "profile.read", Development);
        Assert.True((await RevokeAsync(_server.Store, grant.Id)).Succeeded);
        Assert.Equal("invalid_scope", (await TokenClient.TokenAsync(_server, _billing, "scope=customers:profile.read")).Error);

        using var admin = _server.Client(await _server.AdminTokenAsync());
        Assert.True((await admin.PostAsync($"api/v1/clients/{_billing.Id}/revoke", null)).IsSuccessStatusCode);
        var refused = await TokenClient.TokenAsync(_server, _billing, "audience=customers");
        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_client", refused.Error);
    }

    [Fact]
    public async Task The_per_client_limit_still_holds_and_the_requests_are_counted_under_the_token_route()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await TokenClient.TokenAsync(_server, _billing, "audience=customers")).Status);
        }

        var limited = await TokenClient.TokenAsync(_server, _billing, "audience=customers");
        Assert.Equal(429, limited.Status);
        Assert.Equal("temporarily_unavailable", limited.Error);
        Assert.NotNull(limited.Response.Headers.RetryAfter);

        using var anonymous = _server.Client(bearer: null);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        Assert.True(Gatehouse.Testing.PrometheusText.Value(metrics, "http_server_request_duration_seconds_count", ("http_route", "/oauth2/token")) >= 1);
    }
}
