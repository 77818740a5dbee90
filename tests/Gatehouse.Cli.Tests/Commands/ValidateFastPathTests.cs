using Gatehouse.Cli.Commands;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>
/// A plain <c>validate</c> skips System.CommandLine (ADR 0039): users must not be able to tell, so
/// every command line it takes must give what the parser gives, and any other is left to the parser.
/// </summary>
public sealed class ValidateFastPathTests
{
    private const string Broken = "apiVersion: gatehouse/v1\napp: Broken\nowners: [alice]\nscopes:\n  - name: a\n    name: b\n";

    public static TheoryData<bool, string[]> PlainCommandLines() => new()
    {
        { false, ["validate"] },
        { true, ["validate"] },
        { true, ["validate", "."] },
        { true, ["validate", "services/billing/gatehouse.yaml"] },
        { true, ["validate", "services/billing", "services/broken"] },
        { true, ["validate", "--format", "github"] },
        { true, ["validate", ".", "--format", "json"] },
        { true, ["validate", "--format", "sarif", "services"] },
        { true, ["validate", "--format", "text", "."] },
        { true, ["validate", "services/broken/gatehouse.yaml", "no/such/path"] },
        { false, ["validate", "empty"] },
    };

    [Theory]
    [MemberData(nameof(PlainCommandLines))]
    public void APlainValidate_GivesWhatTheParserGives(bool withBrokenFile, string[] args)
    {
        using var workspace = new Workspace();
        Directory.CreateDirectory(Path.Combine(workspace.Path, "empty"));
        if (withBrokenFile)
        {
            workspace.Write("services/broken/gatehouse.yaml", Broken);
        }

        Assert.True(ValidateFastPath.TryParse(args, out _, out _));
        var fast = Run(workspace.Path, args, fastPath: true);
        var parsed = Run(workspace.Path, args, fastPath: false);

        Assert.Equal(parsed, fast);
        Assert.NotEqual("", fast.Out + fast.Error);
    }

    [Fact]
    public void ErrorsKeepTheirFileLineAndColumn()
    {
        using var workspace = new Workspace();
        workspace.Write("services/broken/gatehouse.yaml", Broken);

        var result = Run(workspace.Path, ["validate", "services/broken"], fastPath: true);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{Path.Combine("services", "broken", "gatehouse.yaml")}:2:6: error: app name 'Broken' is invalid", result.Out);
    }

    [Theory]
    [InlineData("validate", "--help")]
    [InlineData("validate", "-h")]
    [InlineData("validate", "-?")]
    [InlineData("validate", "/h")]
    [InlineData("validate", ".", "/?")]
    [InlineData("validate", "--format", "xml")]
    [InlineData("validate", "--format", "JSON")]
    [InlineData("validate", "--format=json")]
    [InlineData("validate", "--format")]
    [InlineData("validate", "--format", "json", "--format", "text")]
    [InlineData("validate", "--bogus")]
    [InlineData("validate", "--", ".")]
    [InlineData("validate", "@args.rsp")]
    [InlineData("validate", "[diagram]")]
    [InlineData("validate", "")]
    [InlineData("graph", ".")]
    [InlineData("--version")]
    public void AnyOtherCommandLine_IsLeftToTheParser(params string[] args)
    {
        using var workspace = new Workspace();

        Assert.False(ValidateFastPath.TryParse(args, out _, out _));
        Assert.Equal(Run(workspace.Path, args, fastPath: false), Run(workspace.Path, args, fastPath: true));
    }

    [Fact]
    public void Help_IsTheParsersHelp()
    {
        var result = Run(Path.GetTempPath(), ["validate", "--help"], fastPath: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--format", result.Out);
        Assert.Contains("gatehouse validate --format sarif > gatehouse.sarif", result.Out);
    }

    private static CliResult Run(string workingDirectory, string[] args, bool fastPath)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, new StringReader(""), IsInteractive: false, workingDirectory);
        var exitCode = GatehouseCommandLine.Run(args, context, fastPath);
        return new CliResult(exitCode, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }
}
