using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Client;

/// <summary>
/// Retries against a real HTTP server on loopback that fails the first times: reads and keyed
/// writes ride out a restarting server; a write that is not safe to repeat is sent once.
/// </summary>
public sealed class GatehouseClientRetryTests
{
    // Short waits keep the tests fast; Retry-After is honoured whatever the policy says.
    private static readonly RetryPolicy Fast = new(4, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(5));

    private const string Ok = """{"requests":[]}""";

    private static GatehouseClient Client(FlakyHttpServer server, RetryPolicy? retry = null, TextWriter? log = null) =>
        new(server.Url, "gthp_test", retry: retry ?? Fast, log: log);

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task Read_AfterTransientStatuses_Succeeds(int status)
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Answer(status), new Reply.Answer(status));
        using var client = Client(server);

        var response = await client.GetAsync("requests", default);

        Assert.Equal(200, response.Status);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Read_AfterAConnectionReset_Succeeds()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Reset(), new Reply.Reset());
        using var client = Client(server);

        var response = await client.GetAsync("requests", default);

        Assert.Equal(200, response.Status);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Read_WhileTheServerRefusesConnections_SucceedsOnceItListens()
    {
        await using var server = new FlakyHttpServer(new Reply.Answer(200, Ok));
        var log = new StringWriter();
        using var client = Client(server, Fast with { MaxRetries = 10, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(200) }, log);

        var call = client.GetAsync("requests", default);
        await Task.Delay(300);
        Assert.False(call.IsCompleted);
        server.Listen();
        var response = await call;

        Assert.Equal(200, response.Status);
        Assert.Single(server.Requests);
        Assert.Contains("cannot reach Gatehouse", log.ToString());
        Assert.Contains("retrying in", log.ToString());
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Answer(429, "{}", ("Retry-After", "1")));
        using var client = Client(server);
        var clock = Stopwatch.StartNew();

        var response = await client.GetAsync("requests", default);

        Assert.Equal(200, response.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited {clock.Elapsed}");
    }

    [Fact]
    public async Task RetryAfter_LongerThanThePolicyAllows_EndsTheRetries()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Answer(503, """{"code":"GH4090","detail":"down for maintenance"}""", ("Retry-After", "3600")));
        using var client = Client(server);

        var response = await client.GetAsync("requests", default);

        Assert.Equal((503, "GH4090"), (response.Status, response.Code));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Retries_AreBounded_AndTheLastAnswerIsReturned()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(503, """{"code":"GH4090","detail":"not ready"}"""));
        using var client = Client(server);

        var response = await client.PostReadAsync("plan", new { manifests = Array.Empty<object>() }, default);

        Assert.Equal(503, response.Status);
        Assert.Equal(Fast.MaxRetries + 1, server.Requests.Count);
    }

    [Fact]
    public async Task ConnectionFailures_AreBounded_AndReportedAsUnreachable()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Reset());
        using var client = Client(server);

        var failure = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.GetAsync("requests", default));

        Assert.Contains($"gave up after {Fast.MaxRetries + 1} attempts", failure.Message);
        Assert.Equal(Fast.MaxRetries + 1, server.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(500)]
    public async Task AnAnswerThatIsNotTransient_IsNotRetried(int status)
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Answer(status));
        using var client = Client(server);

        var response = await client.GetAsync("requests", default);

        Assert.Equal(status, response.Status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task IdempotentWrite_SendsOneKeyOnEveryAttempt_AndANewKeyPerCall()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, "{}"), new Reply.Reset(), new Reply.Answer(503));
        using var client = Client(server);

        var first = await client.PostIdempotentAsync("requests/7/approve", new { comment = "ok" }, default);
        var second = await client.PostIdempotentAsync("requests/8/approve", new { comment = "ok" }, default);

        Assert.Equal((200, 200), (first.Status, second.Status));
        var keys = server.Requests.Select(r => r.Header(GatehouseClient.IdempotencyKeyHeader)).ToList();
        Assert.Equal(4, keys.Count);
        Assert.All(keys, k => Assert.Matches("^gatehouse-cli-[0-9a-f]{32}$", k));
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(keys[0], keys[2]);
        Assert.NotEqual(keys[0], keys[3]);
        var bodies = server.Requests.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["comment"]!.GetValue<string>()).ToList();
        Assert.Equal(["ok", "ok", "ok", "ok"], bodies);
    }

    [Fact]
    public async Task Reads_SendNoIdempotencyKey()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok));
        using var client = Client(server);

        await client.GetAsync("requests", default);
        await client.PostReadAsync("check", new { environment = "production" }, default);

        Assert.All(server.Requests, r => Assert.Null(r.Header(GatehouseClient.IdempotencyKeyHeader)));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task AWriteWithoutAKey_IsSentOnce_EvenWhenTheAnswerIsTransient(int status)
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(201, "{}"), new Reply.Answer(status));
        using var client = Client(server);

        var response = await client.PostAsync("tokens", new { kind = "personal", subject = "alice" }, default);

        Assert.Equal(status, response.Status);
        var only = Assert.Single(server.Requests);
        Assert.Null(only.Header(GatehouseClient.IdempotencyKeyHeader));
    }

    [Fact]
    public async Task AWriteWithoutAKey_IsNotRepeatedAfterAReset()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(201, "{}"), new Reply.Reset());
        using var client = Client(server);

        await Assert.ThrowsAsync<ServerUnreachableException>(() => client.PostAsync("tokens", new { kind = "personal", subject = "alice" }, default));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task NoRetries_WhenThePolicySaysNone()
    {
        await using var server = FlakyHttpServer.Start(new Reply.Answer(200, Ok), new Reply.Answer(503));
        using var client = Client(server, Fast with { MaxRetries = 0 });

        var response = await client.GetAsync("requests", default);

        Assert.Equal(503, response.Status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Backoff_GrowsExponentially_WithJitter_AndIsCapped()
    {
        var policy = RetryPolicy.Default;

        for (var retry = 1; retry <= 8; retry++)
        {
            var step = Math.Min(policy.MaxDelay.TotalSeconds, policy.BaseDelay.TotalSeconds * Math.Pow(2, retry - 1));
            var waits = Enumerable.Range(0, 50).Select(_ => policy.Backoff(retry).TotalSeconds).ToList();
            Assert.All(waits, w => Assert.InRange(w, step / 2, step));
            Assert.True(waits.Distinct().Count() > 1, "jitter");
        }
    }

    [Fact]
    public void TransientFailures_AreConnectionFailuresAndOverloadStatuses_Only()
    {
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host")));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.SecureConnectionError, "bad certificate")));
        Assert.True(RetryPolicy.IsTransient(HttpStatusCode.ServiceUnavailable));
        Assert.False(RetryPolicy.IsTransient(HttpStatusCode.InternalServerError));
    }
}
