namespace Gatehouse.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("validate", "gatehouse validate . --format github")]
    [InlineData("graph", "gatehouse graph --format mermaid > access.mmd")]
    [InlineData("init", "gatehouse init --app billing --owner team:payments --owner user:alice")]
    public void Help_OfEachCommand_ExplainsItAndEndsWithExamples(string command, string example)
    {
        var result = CliRunner.Run(Path.GetTempPath(), command, "--help");

        Assert.Equal(0, result.ExitCode);
        // The usage line starts with the executable's name, which is the test host here.
        Assert.Matches($@"Usage:\n  \S+ {command} ", result.Out);
        Assert.Contains("Examples:\n", result.Out);
        Assert.Contains(example, result.Out);
    }

    [Theory]
    [InlineData("serve", "gatehouse serve --demo")]
    [InlineData("plan", "gatehouse plan --format markdown . > plan.md")]
    [InlineData("push", "GATEHOUSE_TOKEN=$DEPLOY_TOKEN gatehouse push .")]
    [InlineData("check", "gatehouse check --env production services/billing")]
    [InlineData("requests", "gatehouse requests --mine")]
    [InlineData("approve", "gatehouse approve 42 --comment")]
    [InlineData("deny", "gatehouse deny 42 --comment")]
    [InlineData("revoke", "gatehouse revoke 17 --comment")]
    [InlineData("who-can", "gatehouse who-can customers:profile.read")]
    [InlineData("expiring", "gatehouse expiring --within 30 --env production")]
    [InlineData("audit", "gatehouse audit --app billing --limit 20")]
    [InlineData("audit verify", "gatehouse audit verify")]
    [InlineData("token", "gatehouse token list")]
    [InlineData("token create", "gatehouse token create --app billing")]
    [InlineData("token list", "gatehouse token list")]
    [InlineData("token revoke", "gatehouse token revoke tok_")]
    [InlineData("keys rotate-kek", "gatehouse keys rotate-kek")]
    [InlineData("report templates", "gatehouse report templates --format markdown > templates.md")]
    [InlineData("template publish", "gatehouse template publish . --name aspnet-service")]
    public void Help_OfEachServerCommand_EndsWithExamples(string command, string example)
    {
        var result = CliRunner.Run(Path.GetTempPath(), [.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"Usage:\n  \S+ {command}", result.Out);
        Assert.Contains("Examples:\n", result.Out);
        Assert.Contains(example, result.Out);
    }

    [Fact]
    public void Help_OfTheRoot_ListsCommandsOnOneLineEach()
    {
        var result = CliRunner.Run(Path.GetTempPath(), "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\n  validate <PATH>\s+Check manifests", result.Out);
        Assert.Matches(@"\n  graph <PATH>\s+Show who needs what", result.Out);
        Assert.Matches(@"\n  init\s+Write a starter gatehouse.yaml", result.Out);
        Assert.DoesNotContain("--format github", result.Out);
        Assert.Contains("Examples:\n  gatehouse init --app billing --owner team:payments\n", result.Out);
    }
}
