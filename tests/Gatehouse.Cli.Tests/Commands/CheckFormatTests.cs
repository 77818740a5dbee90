using System.Xml.Linq;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary><c>check --format github|junit|markdown</c> against a real server, with a need that is pending; and one <c>--format</c> naming.</summary>
public sealed class CheckFormatTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private TestServer _server = null!;
    private string _alice = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        _alice = await _server.TokenForAsync("alice");
        Assert.Equal(0, Run(_alice, "push", ".").ExitCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _workspace.Dispose();
    }

    private CliResult Run(string token, params string[] args) =>
        CliRunner.Run(_workspace.Path, [.. args, "--url", _server.Url.ToString(), "--token", token]);

    [Fact]
    public void GitHubFormat_AnnotatesTheManifestLineOfTheMissingNeed()
    {
        var result = Run(_alice, "check", "--env", "production", "--format", "github", ".");

        Assert.Equal(1, result.ExitCode);
        var annotation = Assert.Single(result.Out.Split('\n'), l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.StartsWith("::error file=services/billing/gatehouse.yaml,line=6,col=", annotation, StringComparison.Ordinal);
        Assert.Contains("title=billing -> customers%3Aprofile.read not granted in production::pending (", annotation, StringComparison.Ordinal);
        Assert.Contains("waiting for approval by carol", annotation, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnitFormat_IsOneTestCasePerNeededAccess_FailedWhenNotGranted()
    {
        var result = Run(_alice, "check", "--env", "production", "--format", "junit", ".");

        Assert.Equal(1, result.ExitCode);
        var report = XDocument.Parse(result.Out);
        var testCase = Assert.Single(report.Descendants("testcase"));
        Assert.Equal("billing", testCase.Attribute("classname")!.Value);
        Assert.Equal("customers:profile.read in production", testCase.Attribute("name")!.Value);
        Assert.Equal("services/billing/gatehouse.yaml", testCase.Attribute("file")!.Value);
        Assert.Equal("pending", testCase.Element("failure")!.Attribute("type")!.Value);
        Assert.Equal("1", report.Root!.Attribute("failures")!.Value);
    }

    [Fact]
    public void MarkdownFormat_IsASummaryTableLinkingTheRequest()
    {
        var result = Run(_alice, "check", "--env", "production", "--format", "markdown", ".");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("### ❌ Gatehouse: access missing", result.Out, StringComparison.Ordinal);
        Assert.Contains("| billing | `customers:profile.read` | [pending](" + _server.Url, result.Out, StringComparison.Ordinal);
        Assert.Contains("| carol |", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingCommands_TakeFormatJson_AndStillTheOldJsonFlag()
    {
        var format = Run(_alice, "requests", "--format", "json");
        var old = Run(_alice, "requests", "--json");
        var help = CliRunner.Run(_workspace.Path, "requests", "--help");

        Assert.Equal(0, format.ExitCode);
        Assert.Equal(format.Out, old.Out);
        Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(format.Out));
        Assert.Contains("--format", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--json", help.Out, StringComparison.Ordinal);
    }
}
