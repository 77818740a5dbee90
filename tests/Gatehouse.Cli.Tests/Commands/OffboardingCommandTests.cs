using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>`gatehouse plan|push` of an organisation file that removes someone, and `token list` afterwards (ADR 0011).</summary>
public sealed class OffboardingCommandTests : IAsyncLifetime
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

    [Fact]
    public async Task Pushing_an_organisation_file_without_carol_says_what_it_revoked_and_what_an_admin_should_revoke()
    {
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        var alice = await _server.TokenForAsync("alice");
        Assert.Equal(0, Run(alice, "push", ".").ExitCode);
        var carol = await _server.TokenForAsync("carol");
        var deploy = Run(carol, "token", "create", "--app", "customers", "--description", "ci");
        Assert.Equal(0, deploy.ExitCode);
        var deployId = deploy.Error.Split(' ')[1];
        _workspace.Write("gatehouse.org.yaml", Workspace.Organisation.Replace("members: [carol]", "members: [dave]", StringComparison.Ordinal));

        var plan = Run(alice, "plan", "gatehouse.org.yaml");
        var push = Run(alice, "push", "gatehouse.org.yaml");
        var list = Run(alice, "token", "list");
        var refused = Run(carol, "token", "list");

        Assert.Contains("organisation file: would be updated; removes carol (their personal tokens would be revoked)", plan.Out);
        Assert.Equal(0, push.ExitCode);
        Assert.Contains("removed 1 user(s), revoked 1 personal token(s)", push.Out);
        Assert.Contains("Removed from the organisation: carol\n", push.Out);
        Assert.Matches(@"Revoked their personal tokens: tok_[a-z2-7]{12} \(carol\)\n", push.Out);
        Assert.Contains($"  deploy token {deployId} of customers, created by user:carol, expires ", push.Out);
        Assert.Contains("gatehouse token revoke ID", push.Out);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("CREATED BY", list.Out);
        Assert.Matches($@"{deployId}\s+deploy\s+customers\s+\S+\s+user:carol \(removed\)\s+ci", list.Out);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("GH4001", refused.Error);
    }
}
