using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Commands;
using Gatehouse.Cli.Tests.Infrastructure;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>
/// <c>push</c> and <c>plan</c> when there are more changes than anyone reads (ADR 0038): the first
/// <c>--changes N</c> listed, the rest counted per kind, a timeout that says what to do.
/// </summary>
public sealed class PushCommandTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private TestServer _server = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        _alice = await _server.TokenForAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _workspace.Dispose();
    }

    private CliResult Run(string token, params string[] args) => RunAt(_server.Url, token, args);

    private CliResult RunAt(Uri url, string token, params string[] args) =>
        CliRunner.Run(_workspace.Path, [.. args, "--url", url.ToString(), "--token", token]);

    private JsonArray PlannedChanges()
    {
        var plan = Run(_alice, "plan", "--format", "json", "--changes", "100000", ".");
        Assert.True(plan.ExitCode == 0, plan.Error);
        return JsonNode.Parse(plan.Out)!["changes"]!.AsArray();
    }

    [Fact]
    public void Push_WithMoreChangesThanListed_PrintsTheFirst_HowManyMore_AndEveryKindCounted()
    {
        var all = PlannedChanges();
        Assert.True(all.Count >= 3, $"the workspace should make at least 3 changes, not {all.Count}");

        var push = Run(_alice, "push", "--changes", "1", ".");

        Assert.True(push.ExitCode == 0, push.Error);
        var first = all[0]!;
        Assert.Contains(first["subject"]!.GetValue<string>(), push.Out);
        Assert.Contains($"… and {all.Count - 1} more change(s) not listed (every change is in the audit log (`gatehouse audit`)).", push.Out);
        foreach (var kind in all.GroupBy(c => c!["kind"]!.GetValue<string>()))
        {
            Assert.Contains($"{kind.Key} {kind.Count()}", push.Out);
        }

        Assert.EndsWith($"{all.Count} change(s) applied.\n", push.Out);
        Assert.Empty(PlannedChanges());
    }

    [Fact]
    public void Plan_AsJson_WithChanges_CarriesTheServersSummary()
    {
        var total = PlannedChanges().Count;

        var plan = Run(_alice, "plan", "--format", "json", "--changes", "1", ".");

        Assert.Equal(0, plan.ExitCode);
        var answer = JsonNode.Parse(plan.Out)!;
        Assert.Single(answer["changes"]!.AsArray());
        Assert.Equal(total, answer["summary"]!["total"]!.GetValue<int>());
        Assert.Equal(total - 1, answer["summary"]!["omitted"]!.GetValue<int>());
    }

    [Fact]
    public void Push_OfAFewChanges_ListsThemAll_WithoutASummaryLine()
    {
        var push = Run(_alice, "push", ".");

        Assert.Equal(0, push.ExitCode);
        Assert.DoesNotContain("not listed", push.Out);
        Assert.Contains("billing", push.Out);
    }

    [Theory]
    [InlineData("--changes", "-1", "--changes must be a whole number from 0 to 100000, not -1")]
    [InlineData("--changes", "100001", "--changes must be a whole number from 0 to 100000, not 100001")]
    [InlineData("--timeout", "-5", "--timeout must be a number of seconds, 0 or more (0: no limit), not -5")]
    public void Push_WithAnOptionOutOfRange_IsAUsageError_AndSendsNothing(string option, string value, string message)
    {
        var push = Run(_alice, "push", option, value, ".");

        Assert.Equal(2, push.ExitCode);
        Assert.Contains(message, push.Error);
        Assert.NotEmpty(PlannedChanges());
    }

    [Fact]
    public async Task Push_ToAServerThatDoesNotAnswerInTime_SaysSo_AndIsNotRepeated()
    {
        await using var busy = FlakyHttpServer.Start(new Reply.Silent());

        var push = RunAt(busy.Url, _alice, "push", "--timeout", "1", ".");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("did not answer within 1 s", push.Error);
        Assert.Contains("rolls back", push.Error);
        Assert.Contains("--timeout SECONDS", push.Error);
        var only = Assert.Single(busy.Requests);
        Assert.Equal("/api/v1/push?changes=100", only.Target);
    }

    [Fact]
    public async Task LargePush_IsAnnouncedOnStandardError_BeforeTheAnswer()
    {
        var error = new StringWriter();

        var answer = await PushProgress.WaitAsync(Task.FromResult(7), 3 * 1024 * 1024, "push", error, CancellationToken.None);

        Assert.Equal(7, answer);
        Assert.Equal("gatehouse: push: sending 3.0 MB; the server validates and applies it in one transaction, which can take minutes\n", error.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task SmallPush_PrintsNoProgress()
    {
        var error = new StringWriter();

        await PushProgress.WaitAsync(Task.FromResult(0), 10_000, "push", error, CancellationToken.None);

        Assert.Empty(error.ToString());
    }
}
