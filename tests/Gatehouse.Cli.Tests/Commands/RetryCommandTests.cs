using Gatehouse.Cli.Client;
using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>
/// A server that restarts under a CI job: full command lines through a loopback proxy that fails
/// the first attempts, in front of a real Gatehouse. The retried approval is applied once because
/// the server honours the Idempotency-Key the CLI sends.
/// </summary>
public sealed class RetryCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync() => _gatehouse = await SeededGatehouse.StartAsync();

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    [Fact]
    public async Task Approve_WhoseAnswerIsLost_IsRetriedUnderTheSameKey_AndAppliedOnce()
    {
        var id = _gatehouse.FirstRequestOfCarol();
        await using var proxy = FlakyHttpServer.Start(new Reply.Forward(_gatehouse.Server.Url), new Reply.Forward(_gatehouse.Server.Url, ThenReset: true));

        var result = _gatehouse.Run(_gatehouse.Carol, proxy.Url, "approve", id, "--comment", "fine");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"request {id}: billing -> customers:profile.read in production is approved", result.Out);
        Assert.Contains("retrying in", result.Error);
        var attempts = proxy.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.NotNull(attempts[0].Header(GatehouseClient.IdempotencyKeyHeader));
        Assert.Equal(attempts[0].Header(GatehouseClient.IdempotencyKeyHeader), attempts[1].Header(GatehouseClient.IdempotencyKeyHeader));
        var answers = proxy.UpstreamAnswers.ToList();
        Assert.Equal((200, 200), ((int)answers[0].StatusCode, (int)answers[1].StatusCode));
        Assert.True(answers[1].Headers.Contains("Idempotent-Replayed"), "the second attempt is answered from the stored response");
        var audit = _gatehouse.Run(_gatehouse.Alice, null, "audit", "--action", "request.approved", "--json");
        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(audit.Out)!.AsArray());
    }

    [Fact]
    public async Task Push_ThroughAServerAnswering503_ThenUp_Succeeds()
    {
        _gatehouse.Workspace.Write("services/billing/gatehouse.yaml", Workspace.Billing.Replace("Print names on invoices", "Print names and addresses on invoices"));
        await using var proxy = FlakyHttpServer.Start(new Reply.Forward(_gatehouse.Server.Url), new Reply.Answer(503, """{"code":"GH4090","detail":"not ready"}"""), new Reply.Reset());

        var result = _gatehouse.Run(_gatehouse.Alice, proxy.Url, "push", ".");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("change(s) applied", result.Out);
        Assert.Equal(3, proxy.Requests.Count);
        Assert.Single(proxy.Requests.Select(r => r.Header(GatehouseClient.IdempotencyKeyHeader)).Distinct());
    }

    [Fact]
    public async Task TokenCreate_WhoseAnswerIsLost_IsNotRepeated()
    {
        await using var proxy = FlakyHttpServer.Start(new Reply.Forward(_gatehouse.Server.Url), new Reply.Forward(_gatehouse.Server.Url, ThenReset: true));

        var result = _gatehouse.Run(_gatehouse.Alice, proxy.Url, "token", "create", "--user", "alice");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gatehouse: error: cannot reach Gatehouse at ", result.Error);
        var only = Assert.Single(proxy.Requests);
        Assert.Null(only.Header(GatehouseClient.IdempotencyKeyHeader));
    }

    [Fact]
    public async Task Retries_Zero_TurnsRetriesOff()
    {
        await using var proxy = FlakyHttpServer.Start(new Reply.Forward(_gatehouse.Server.Url), new Reply.Answer(503, """{"code":"GH4090","detail":"not ready"}"""));

        var result = _gatehouse.Run(_gatehouse.Alice, proxy.Url, "requests", "--retries", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("gatehouse: error: not ready [GH4090]\n", result.Error);
        Assert.Single(proxy.Requests);
    }
}
