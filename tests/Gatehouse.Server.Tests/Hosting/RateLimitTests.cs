using System.Net.Http.Json;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>Push and plan are rate limited per token and per address (issue 9); refused bearer tokens are counted.</summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class RateLimitTests
{
    private static readonly object EmptyPlan = new { manifests = Array.Empty<object>() };

    [Fact]
    public async Task ATokenOverItsLimit_Gets429ProblemDetailsWithRetryAfter_WhileAnotherTokenGoesOn()
    {
        await using var server = await TestServer.StartWithAsync("--GATEHOUSE_RATE_LIMIT_PUSH_TOKEN=2/min");
        await server.SeedAsync();
        using var alice = server.Client(await server.TokenForAsync("alice"));
        using var carol = server.Client(await server.TokenForAsync("carol"));

        Assert.Equal(200, (int)(await alice.PostAsJsonAsync("api/v1/plan", EmptyPlan)).StatusCode);
        Assert.Equal(200, (int)(await alice.PostAsJsonAsync("api/v1/push", EmptyPlan)).StatusCode);
        var limited = await alice.PostAsJsonAsync("api/v1/plan", EmptyPlan);
        var other = await carol.PostAsJsonAsync("api/v1/plan", EmptyPlan);

        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal("GH4044", (await TestServer.Json(limited))["code"]!.GetValue<string>());
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString()) is > 0 and <= 60);
        Assert.Equal(200, (int)other.StatusCode);
    }

    [Fact]
    public async Task AnAddressOverItsLimit_Gets429_WhateverTheToken_AndTheCountsShowInMetrics()
    {
        // Seeding pushes twice from this address (the organisation, then the manifests as root).
        await using var server = await TestServer.StartWithAsync("--GATEHOUSE_RATE_LIMIT_PUSH_ADDRESS=4/min");
        await server.SeedAsync();
        using var alice = server.Client(await server.TokenForAsync("alice"));
        using var carol = server.Client(await server.TokenForAsync("carol"));
        using var guesser = server.Client("ghp_not-a-real-token-0123456789");
        using var anonymous = server.Client(token: null);
        var before = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);

        Assert.Equal(401, (int)(await guesser.PostAsJsonAsync("api/v1/plan", EmptyPlan)).StatusCode);
        Assert.Equal(200, (int)(await alice.PostAsJsonAsync("api/v1/plan", EmptyPlan)).StatusCode);
        var limited = await carol.PostAsJsonAsync("api/v1/plan", EmptyPlan);

        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("GH4044", (await TestServer.Json(limited))["code"]!.GetValue<string>());
        Assert.NotNull(limited.Headers.RetryAfter);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        double Delta(string name, string label, string value) =>
            Gatehouse.Testing.PrometheusText.Value(metrics, name, (label, value)) - Gatehouse.Testing.PrometheusText.Value(before, name, (label, value));
        Assert.Equal(1, Delta("gatehouse_rate_limited_total", "limit", "push_address"));
        Assert.Equal(1, Delta("gatehouse_authentication_failures_total", "kind", "bearer"));
    }

    [Fact]
    public void Load_UnderstandsCountsPerPeriodAndOff_AndReportsEveryBadValue()
    {
        var options = RateLimitOptions.Load(Config(("GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT", "50/s"), ("GATEHOUSE_RATE_LIMIT_SIGNIN_ADDRESS", "off")));
        Assert.Equal(new RateLimitOptions.Limit(50, TimeSpan.FromSeconds(1)), options.OAuthClient);
        Assert.Null(options.SignInAddress);
        Assert.Equal(new RateLimitOptions.Limit(60, TimeSpan.FromMinutes(1)), options.PushToken);

        var all = RateLimitOptions.Load(Config(("GATEHOUSE_RATE_LIMITS", "off")));
        Assert.Null(all.OAuthAddress);
        Assert.Null(all.PushToken);

        var e = Assert.Throws<ConfigurationProblemException>(() => RateLimitOptions.Load(Config(("GATEHOUSE_RATE_LIMIT_PUSH_TOKEN", "10/day"), ("GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS", "lots"))));
        Assert.Contains("GATEHOUSE_RATE_LIMIT_PUSH_TOKEN must be COUNT/s, COUNT/min or COUNT/h", e.Message);
        Assert.Contains("GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS", e.Message);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    public void AnIPv6ClientCountsAsItsSlash64(string address, string key)
    {
        Assert.Equal(key, RateLimits.AddressKey(System.Net.IPAddress.Parse(address)));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
