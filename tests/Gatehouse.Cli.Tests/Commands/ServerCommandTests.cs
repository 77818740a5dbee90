using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>Full command lines of the client commands against a real server on 127.0.0.1.</summary>
public sealed class ServerCommandTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _workspace.Dispose();
    }

    private CliResult Run(string token, params string[] args) =>
        CliRunner.Run(_workspace.Path, [.. args, "--url", _server.Url.ToString(), "--token", token]);

    /// <summary>The bootstrap token pushes the organisation file and creates the admin alice's token; alice pushes the rest.</summary>
    private async Task<string> AdminAsync()
    {
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        return await _server.TokenForAsync("alice");
    }

    [Fact]
    public async Task Push_ThenPushAgain_ReportsChangesOnceThenNone()
    {
        var alice = await AdminAsync();
        var first = Run(alice, "push", ".");
        var second = Run(alice, "push", ".");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("organisation file:", first.Out);
        Assert.Contains("billing", first.Out);
        Assert.Contains("change(s) applied", first.Out);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("No changes.", second.Out);
    }

    [Fact]
    public async Task PlanAsMarkdown_IsAPullRequestComment_AndChangesNothing()
    {
        var alice = await AdminAsync();

        var plan = Run(alice, "plan", "--format", "markdown", ".");
        var planAgain = Run(alice, "plan", "--format", "markdown", ".");

        Assert.Equal(0, plan.ExitCode);
        Assert.StartsWith("### Gatehouse plan", plan.Out);
        Assert.Contains("| App | Change | Subject | Details |", plan.Out);
        Assert.Equal(plan.Out, planAgain.Out);
    }

    [Fact]
    public async Task Check_FailsWhilePending_NamesApprovers_AndPassesOnceTheOwnerApproves()
    {
        Run(await AdminAsync(), "push", ".");
        var carol = await _server.TokenForAsync("carol");

        var before = Run(TestServer.BootstrapToken, "check", "--env", "production", "services/billing");
        var inbox = Run(carol, "requests", "--mine");
        var id = inbox.Out.Split('\n')[1].Split(' ')[0];
        var approve = Run(carol, "approve", id, "--comment", "names on invoices are fine");
        var after = Run(TestServer.BootstrapToken, "check", "--env", "production", "services/billing");

        Assert.Equal(1, before.ExitCode);
        Assert.Contains("MISSING billing -> customers:profile.read in production: pending", before.Out);
        Assert.Contains("waiting for approval by carol", before.Out);
        Assert.Equal(0, inbox.ExitCode);
        Assert.Equal(0, approve.ExitCode);
        Assert.Contains("is approved", approve.Out);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("OK: all 1 needed access(es) are granted in production.", after.Out);
    }

    [Fact]
    public async Task Approve_ByNonOwner_ExitsOne_WithTheStoreCode()
    {
        var alice = await AdminAsync();
        Run(alice, "push", ".");
        var id = Run(TestServer.BootstrapToken, "requests").Out.Split('\n')[1].Split(' ')[0];

        // alice is an admin in this organisation, so use a deploy token: never an owner.
        var deploy = await _server.TokenForAsync("billing", kind: "deploy", by: alice);
        var refused = Run(deploy, "approve", id);

        Assert.NotEmpty(alice);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("[GH4121]", refused.Error);
        Assert.DoesNotContain(deploy, refused.Error);
    }

    [Fact]
    public void Check_UnknownEnvironment_IsAUsageError()
    {
        var result = Run(TestServer.BootstrapToken, "check", "--env", "prod", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown environment `prod`", result.Error);
    }

    [Fact]
    public async Task AuditVerify_AfterAPush_Verifies()
    {
        Run(await AdminAsync(), "push", ".");

        var result = Run(TestServer.BootstrapToken, "audit", "verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"OK: the audit chain of \d+ events verifies\.", result.Out);
    }

    [Fact]
    public void WithoutToken_IsAUsageError_ThatSaysHowToGetOne()
    {
        var result = CliRunner.Run(_workspace.Path, "requests", "--url", _server.Url.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("GATEHOUSE_TOKEN", result.Error);
    }

    [Fact]
    public void UnreachableServer_IsOneLine_NotAStackTrace()
    {
        var result = CliRunner.Run(_workspace.Path, "requests", "--url", "http://127.0.0.1:9", "--token", "x", "--retries", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gatehouse: error: cannot reach Gatehouse at http://127.0.0.1:9/", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void TokenCreate_WithBothUserAndApp_IsAUsageError()
    {
        var result = Run(TestServer.BootstrapToken, "token", "create", "--user", "alice", "--app", "billing");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("exactly one of --user or --app", result.Error);
    }

    [Fact]
    public void TokenCreate_PrintsTheSecretOnlyOnStdout()
    {
        Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml");

        var result = Run(TestServer.BootstrapToken, "token", "create", "--user", "carol", "--days", "7");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("gthp_", result.Out.Trim());
        Assert.DoesNotContain("gthp_", result.Error);
        Assert.Contains("shown only now", result.Error);
    }
}
