using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.AspNetCore;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.AspNetCore;

/// <summary>
/// Gatehouse.AspNetCore verifies a token's signature once and then serves it from a cache keyed on
/// the whole token: never past its exp, never for a token that differs in any character, never
/// beyond its size.
/// </summary>
public sealed class TokenCacheTests : IAsyncLifetime
{
    private const string Audience = "urn:gatehouse:development:customers";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private OAuthTestServer _gatehouse = null!;
    private SigningKey _signer = null!;

    public async Task InitializeAsync()
    {
        _gatehouse = await OAuthTestServer.StartAsync();
        _signer = (await _gatehouse.Services.GetRequiredService<KeyRing>().CurrentAsync(default)).Signer!;
    }

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    private string Token(TimeSpan lifetime) =>
        AccessTokenMinter.Mint(_signer, _gatehouse.Issuer, "billing", Audience, "cl_test", "customers:profile.read", _time.GetUtcNow(), lifetime);

    /// <summary>The service on the test's clock; keys kept a day, so only the token cache decides.</summary>
    private Task<ResourceServer> CustomersAsync(int cacheSize = 10_000) =>
        ResourceServer.StartAsync(_gatehouse.Issuer, "customers", Development, o =>
        {
            o.TimeProvider = _time;
            o.KeysRefreshInterval = TimeSpan.FromDays(1);
            o.TokenCacheSize = cacheSize;
        });

    private static async Task<int> StatusAsync(ResourceServer service, string token) =>
        (int)(await service.SendAsync(HttpMethod.Get, "/profiles/42", token)).StatusCode;

    private static GatehouseTokenCache Cache(ResourceServer service) => service.Services.GetRequiredService<GatehouseTokenCache>();

    [Fact]
    public async Task CachedToken_IsRefusedOnceExpired()
    {
        await using var customers = await CustomersAsync();
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(1, Cache(customers).Count);

        // Within the clock skew (30 s) past exp it still passes, as an uncached token would; past it, never.
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29));
        Assert.Equal(200, await StatusAsync(customers, token));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(401, await StatusAsync(customers, token));
        Assert.Equal(401, await StatusAsync(customers, token));
        Assert.Equal(0, Cache(customers).Count);
    }

    [Fact]
    public async Task TamperedToken_WithTheSamePayload_IsNeverServedFromTheCache()
    {
        await using var customers = await CustomersAsync();
        var token = Token(TimeSpan.FromMinutes(5));
        var parts = token.Split('.');
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = parts[0] + "." + parts[1]; // the same header and payload, byte for byte
        var forged = input + "." + Base64Url.EncodeToString(other.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
        var truncated = token[..^2];
        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        Assert.Equal(401, await StatusAsync(customers, forged)); // before the genuine one is cached
        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(401, await StatusAsync(customers, forged)); // and after
        Assert.Equal(401, await StatusAsync(customers, truncated));
        Assert.Equal(401, await StatusAsync(customers, flipped));
        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(1, Cache(customers).Count); // only the verified token was kept
    }

    [Fact]
    public async Task Cache_StaysWithinItsSize()
    {
        await using var customers = await CustomersAsync(cacheSize: 3);
        var tokens = Enumerable.Range(0, 10).Select(_ => Token(TimeSpan.FromMinutes(5))).ToList();

        foreach (var token in tokens)
        {
            Assert.Equal(200, await StatusAsync(customers, token));
            Assert.InRange(Cache(customers).Count, 1, 3);
        }

        foreach (var token in tokens)
        {
            Assert.Equal(200, await StatusAsync(customers, token)); // an evicted token is verified again
        }

        Assert.InRange(Cache(customers).Count, 1, 3);
    }

    [Fact]
    public async Task SizeZero_TurnsTheCacheOff()
    {
        await using var customers = await CustomersAsync(cacheSize: 0);
        var token = Token(TimeSpan.FromMinutes(5));

        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(200, await StatusAsync(customers, token));
        Assert.Equal(0, Cache(customers).Count);
    }
}
