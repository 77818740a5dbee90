using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Tokens;

/// <summary>
/// The token endpoint is rate limited per authenticated client and per address (issue 9): a 429
/// with Retry-After and an RFC 6749 style body, and failed authentications counted in /metrics.
/// </summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class RateLimitTests
{
    [Fact]
    public async Task AClientOverItsLimit_Gets429WithRetryAfter_WhileAnotherClientGoesOn()
    {
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT=2/min");
        var busy = await server.CreateClientAsync("billing", Development);
        var other = await server.CreateClientAsync("billing", Development);

        Assert.Equal(200, (await TokenClient.TokenAsync(server, (busy.Id, busy.Secret!), "audience=customers")).Status);
        Assert.Equal(200, (await TokenClient.TokenAsync(server, (busy.Id, busy.Secret!), "audience=customers")).Status);
        var limited = await TokenClient.TokenAsync(server, (busy.Id, busy.Secret!), "audience=customers");
        var stillServed = await TokenClient.TokenAsync(server, (other.Id, other.Secret!), "audience=customers");

        Assert.Equal(429, limited.Status);
        Assert.Equal("temporarily_unavailable", limited.Error);
        Assert.Contains(busy.Id, limited.Body["error_description"]!.GetValue<string>());
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter!.ToString()) is > 0 and <= 60);
        Assert.Equal("no-store", limited.Response.Headers.CacheControl!.ToString());
        Assert.Equal(200, stillServed.Status);
    }

    [Fact]
    public async Task WrongSecrets_CountAgainstTheAddress_NotTheClientTheyName()
    {
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS=3/min", "--GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT=2/min");
        var victim = await server.CreateClientAsync("billing", Development);
        using var anonymous = server.Client(bearer: null);
        var before = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);

        // Guesses at the victim's secret fail, and do not spend the victim's own allowance...
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(401, (await TokenClient.TokenAsync(server, (victim.Id, "guess-" + i), "audience=customers")).Status);
        }

        Assert.Equal(200, (await TokenClient.TokenAsync(server, (victim.Id, victim.Secret!), "audience=customers")).Status);

        // ...but they spend this address's: the fourth request from it is refused before any check.
        var limited = await TokenClient.TokenAsync(server, (victim.Id, "guess-3"), "audience=customers");
        Assert.Equal(429, limited.Status);
        Assert.Equal("temporarily_unavailable", limited.Error);
        Assert.NotNull(limited.Response.Headers.RetryAfter);

        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        double Delta(string name, string label, string value) =>
            Gatehouse.Testing.PrometheusText.Value(metrics, name, (label, value)) - Gatehouse.Testing.PrometheusText.Value(before, name, (label, value));
        Assert.Equal(2, Delta("gatehouse_authentication_failures_total", "kind", "oauth_client"));
        Assert.Equal(1, Delta("gatehouse_rate_limited_total", "limit", "oauth_address"));
        Assert.Equal(1, Delta("gatehouse_tokens_issued_total", "kind", "oauth_access"));
    }

    [Fact]
    public async Task RateLimitsOff_LetsABenchmarkThrough()
    {
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_RATE_LIMITS=off", "--GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT=1/h");
        var client = await server.CreateClientAsync("billing", Development);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await TokenClient.TokenAsync(server, (client.Id, client.Secret!), "audience=customers")).Status);
        }
    }
}
