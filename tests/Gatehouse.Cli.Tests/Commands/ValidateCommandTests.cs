using System.Text.Json;

namespace Gatehouse.Cli.Tests.Commands;

public sealed class ValidateCommandTests
{
    private static readonly string BillingFile = Path.Combine("services", "billing", "gatehouse.yaml");

    [Fact]
    public void Validate_ValidFiles_PrintsFilesOkAndExits0()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "validate");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("3 files OK\n", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Validate_Errors_PrintsOneLinePerFindingRelativeToTheWorkingDirectory_Exits1()
    {
        using var workspace = new Workspace();
        workspace.Write(BillingFile, Workspace.Billing.Replace("[production]", "[prod]"));

        var result = CliRunner.Run(Path.Combine(workspace.Path, "services"), "validate", ".");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"""
            {Path.Combine("billing", "gatehouse.yaml")}:8:20: error: environment 'prod' is not defined by the organisation file (it defines: staging, production); did you mean 'production'? [GH1016]
            3 files, 1 error, 0 warnings

            """,
            result.Out);
    }

    [Fact]
    public void Validate_CrossFileError_PointsAtTheNeededScope()
    {
        using var workspace = new Workspace();
        workspace.Write(BillingFile, Workspace.Billing.Replace("[profile.read]", "[profile.reed]"));

        var result = CliRunner.Run(workspace.Path, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{BillingFile}:6:14: error: app 'customers' has no scope 'profile.reed' (it declares: profile.read); did you mean 'profile.read'? [GH2002]", result.Out);
        Assert.EndsWith("3 files, 1 error, 0 warnings\n", result.Out);
    }

    [Fact]
    public void Validate_Json_ListsCountsAndEveryFindingWithItsHelpLink()
    {
        using var workspace = new Workspace();
        workspace.Write(BillingFile, Workspace.Billing.Replace("app: billing", "app: Billing"));

        var result = CliRunner.Run(workspace.Path, "validate", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(3, json.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("warnings").GetInt32());
        var finding = Assert.Single(json.RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("GH1005", finding.GetProperty("code").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(BillingFile, finding.GetProperty("file").GetString());
        Assert.Equal(2, finding.GetProperty("line").GetInt32());
        Assert.Equal(6, finding.GetProperty("column").GetInt32());
        Assert.Contains("app name 'Billing' is invalid", finding.GetProperty("message").GetString());
        Assert.Equal("https://gatehouse.dev/docs/errors#gh1005", finding.GetProperty("help").GetString());
    }

    [Fact]
    public void Validate_GitHub_PrintsWorkflowAnnotationsThenTheSummary()
    {
        using var workspace = new Workspace();
        workspace.Write(BillingFile, Workspace.Billing.Replace("app: customers", "app: ledger"));
        workspace.Write("services/broken/gatehouse.yaml", "apiVersion: gatehouse/v1\napp: broken\nowners: [alice]\n");

        var result = CliRunner.Run(workspace.Path, "validate", "--format", "github");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"""
            ::warning file={BillingFile},line=5,col=10,title=GH2003::app 'ledger' is not among the manifests validated here; it may live in another repository (the server checks it on push)
            ::error file={Path.Combine("services", "broken", "gatehouse.yaml")},line=3,col=10,title=GH1007::owner 'alice' is invalid: write 'team:NAME' or 'user:NAME'; did you mean 'user:alice' or 'team:alice'?
            4 files, 1 error, 1 warning

            """,
            result.Out);
    }

    [Theory]
    [InlineData("--bogus", "gatehouse: error: unrecognized option '--bogus'")]
    [InlineData("no/such/path", "gatehouse: error: path 'no/such/path' does not exist")]
    public void Validate_UnknownOptionOrMissingPath_IsAUsageError_Exits2(string argument, string message)
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "validate", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message + "\n", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Validate_UnknownFormat_IsAOneLineUsageError_Exits2()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "validate", "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "gatehouse: error: Argument 'xml' not recognized. Must be one of: 'text' 'json' 'github' 'sarif'\nRun 'gatehouse validate --help' for usage.\n",
            result.Error);
    }

    [Fact]
    public void Validate_NoManifestsAnywhere_IsAnError()
    {
        using var workspace = new Workspace(withApps: false);
        Directory.CreateDirectory(Path.Combine(workspace.Path, "empty"));

        var result = CliRunner.Run(workspace.Path, "validate", "empty");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("empty: error: no gatehouse.yaml or gatehouse.org.yaml found under 'empty' [GH0013]", result.Out);
    }

    [Fact]
    public void Unknown_command_and_no_command_are_usage_errors()
    {
        using var workspace = new Workspace();

        Assert.Equal(2, CliRunner.Run(workspace.Path, "frobnicate").ExitCode);
        var none = CliRunner.Run(workspace.Path);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("Run 'gatehouse --help' for usage.", none.Error);
    }
}
