using System.Security.Cryptography;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.AspNetCore;

/// <summary>
/// Gatehouse.AspNetCore keeps the last keys it read: a service goes on accepting good tokens
/// while Gatehouse is down, never makes its requests wait for a refresh, and reads the keys
/// early for an unknown kid at most every 30 seconds.
/// </summary>
public sealed class SigningKeyCacheTests : IAsyncLifetime
{
    private const string Audience = "urn:gatehouse:development:customers";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingBackchannel _backchannel = new();
    private OAuthTestServer? _gatehouse;
    private string _issuer = null!;
    private SigningKey _signer = null!;

    public async Task InitializeAsync()
    {
        _gatehouse = await OAuthTestServer.StartAsync();
        _issuer = _gatehouse.Issuer;
        _signer = (await _gatehouse.Services.GetRequiredService<KeyRing>().CurrentAsync(default)).Signer!;
    }

    public async Task DisposeAsync()
    {
        _backchannel.Release();
        await StopGatehouseAsync();
        _backchannel.Dispose();
    }

    private async Task StopGatehouseAsync()
    {
        if (_gatehouse is { } running)
        {
            _gatehouse = null;
            await running.DisposeAsync();
        }
    }

    private async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"timed out waiting until {what} ({_backchannel.Started} reads, {_backchannel.Failures} failed, {_backchannel.Held} held)");
    }

    /// <summary>A token as Gatehouse would issue it now on the test's clock, signed by its real key.</summary>
    private string Token(SigningKey? signer = null) =>
        AccessTokenMinter.Mint(signer ?? _signer, _issuer, "billing", Audience, "cl_test", "customers:profile.read", _time.GetUtcNow(), TimeSpan.FromMinutes(5));

    private Task<ResourceServer> CustomersAsync() =>
        ResourceServer.StartAsync(_issuer, "customers", Development, o =>
        {
            o.TimeProvider = _time;
            o.Backchannel = new HttpClient(_backchannel, disposeHandler: false);
        });

    private static async Task<int> StatusAsync(ResourceServer service, string token) =>
        (int)(await service.SendAsync(HttpMethod.Get, "/profiles/42", token)).StatusCode;

    [Fact]
    public async Task AfterGatehouseStops_TokensStillValidate_LongPastTheRefreshInterval()
    {
        await using var customers = await CustomersAsync();
        Assert.Equal(200, await StatusAsync(customers, Token()));

        await StopGatehouseAsync();
        foreach (var outage in new[] { TimeSpan.FromMinutes(6), TimeSpan.FromHours(1), TimeSpan.FromDays(1) })
        {
            var failures = _backchannel.Failures;
            _time.Advance(outage);
            Assert.Equal(200, await StatusAsync(customers, Token()));

            // Every request meanwhile is answered at once from the kept keys, and one of them
            // has Gatehouse read again in the background, which fails.
            for (var i = 0; _backchannel.Failures == failures; i++)
            {
                Assert.True(i < 500, $"no refresh was tried after {outage}");
                Assert.Equal(200, await StatusAsync(customers, Token()).WaitAsync(TimeSpan.FromSeconds(10)));
                await Task.Delay(10);
            }
        }

        // Still strict: a token signed by another key with Gatehouse's kid gets nowhere.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Jwt.Encode(Jwt.Header(Token()), Jwt.Payload(Token()), data => other.SignData(data, HashAlgorithmName.SHA256));
        Assert.Equal(401, await StatusAsync(customers, forged));
    }

    [Fact]
    public async Task DuringASlowRefresh_RequestsDoNotWaitForIt()
    {
        await using var customers = await CustomersAsync();
        Assert.Equal(200, await StatusAsync(customers, Token()));
        var readsBefore = _backchannel.Started;

        _backchannel.Hold();
        _time.Advance(TimeSpan.FromMinutes(6));
        var token = Token();
        Assert.Equal(200, await StatusAsync(customers, token)); // stale keys: starts the refresh, which Gatehouse holds
        await WaitForAsync(() => _backchannel.Held == 1, "the refresh is held");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => StatusAsync(customers, token)))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(answers, status => Assert.Equal(200, status));
        Assert.Equal(1, _backchannel.Held); // still held: nobody waited on it
        Assert.Equal(1, _backchannel.Started - readsBefore); // and nobody started another

        _backchannel.Release();
        await WaitForAsync(() => _backchannel.Held == 0, "the refresh is released");
        Assert.Equal(200, await StatusAsync(customers, Token()));
    }

    [Fact]
    public async Task UnknownKid_RefreshesTheKeysEarly_AtMostEveryThirtySeconds()
    {
        await using var customers = await CustomersAsync();
        Assert.Equal(200, await StatusAsync(customers, Token()));
        var readsBefore = _backchannel.Started;
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unknown = Jwt.Encode(new { alg = "ES256", typ = "at+jwt", kid = "not-published" }, Jwt.Payload(Token()),
            data => stranger.SignData(data, HashAlgorithmName.SHA256));

        _time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(401, await StatusAsync(customers, unknown));
        }

        Assert.Equal(1, _backchannel.Started - readsBefore);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(401, await StatusAsync(customers, unknown));
        Assert.Equal(2, _backchannel.Started - readsBefore);
        Assert.Equal(200, await StatusAsync(customers, Token()));
    }

    /// <summary>
    /// The service's HTTP client to Gatehouse: counts metadata reads and can hold them, like a
    /// Gatehouse that has become slow.
    /// </summary>
    private sealed class CountingBackchannel() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _open = Opened();
        private int _started;
        private int _held;
        private int _failures;

        public int Started => Volatile.Read(ref _started);

        public int Held => Volatile.Read(ref _held);

        public int Failures => Volatile.Read(ref _failures);

        public void Hold()
        {
            lock (_gate)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _open.TrySetResult();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                if (request.RequestUri!.AbsolutePath.EndsWith("/oauth-authorization-server", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _started);
                    Task open;
                    lock (_gate)
                    {
                        open = _open.Task;
                    }

                    if (!open.IsCompleted)
                    {
                        Interlocked.Increment(ref _held);
                        await open;
                        Interlocked.Decrement(ref _held);
                    }
                }

                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failures);
                throw;
            }
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
