using System.CommandLine;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>Mistakes on the command line get a message that names what was wrong and what was meant.</summary>
public sealed class CommandLineErrorTests
{
    private static CliResult Run(params string[] args) => CliRunner.Run(Path.GetTempPath(), args);

    [Fact]
    public void Approve_WithANonNumericId_NamesTheArgument_NotADotNetType()
    {
        var result = Run("approve", "abc");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: ID must be a whole number, e.g. 42, not 'abc'\nRun 'gatehouse approve --help' for usage.\n", result.Error);
    }

    [Theory]
    [InlineData("revoke 1x --comment why", "GRANT_ID must be a whole number, e.g. 42, not '1x'", "gatehouse revoke")]
    [InlineData("token create --user alice --days 3x", "--days must be a whole number, e.g. 42, not '3x'", "gatehouse token create")]
    [InlineData("audit --limit many", "--limit must be a whole number, e.g. 42, not 'many'", "gatehouse audit")]
    [InlineData("audit --since yesterday", "--since: `yesterday` is not a time; use a date (2026-11-01)", "gatehouse audit")]
    public void TypedValues_NameTheirOptionAndTheCommandToAskForHelp(string line, string message, string command)
    {
        var result = Run(line.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"gatehouse: error: {message}", result.Error);
        Assert.Contains($"Run '{command} --help' for usage.", result.Error);
        Assert.DoesNotContain("System.", result.Error);
    }

    [Fact]
    public void TypedValues_StillParse_AndDefaultsStillApply()
    {
        var root = GatehouseCommandLine.Build(new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null, false, Path.GetTempPath()));
        var audit = root.Subcommands.Single(c => c.Name == "audit");
        var limit = (Option<int>)audit.Options.Single(o => o.Name == "--limit");

        Assert.Equal(50, root.Parse(["audit"]).GetValue(limit));
        Assert.Equal(20, root.Parse(["audit", "--limit", "20"]).GetValue(limit));
    }

    [Theory]
    [InlineData("aprove 42", "'aprove' is not a command of gatehouse; did you mean 'approve'?", "gatehouse")]
    [InlineData("vaildate .", "'vaildate' is not a command of gatehouse; did you mean 'validate'?", "gatehouse")]
    [InlineData("who-cna customers:profile.read", "'who-cna' is not a command of gatehouse; did you mean 'who-can'?", "gatehouse")]
    [InlineData("token lst", "'lst' is not a command of gatehouse token; did you mean 'list'?", "gatehouse token")]
    [InlineData("audit verfy", "'verfy' is not a command of gatehouse audit; did you mean 'verify'?", "gatehouse audit")]
    public void AMistypedCommand_SuggestsTheNearestCommand_InOneLine(string line, string message, string command)
    {
        var result = Run(line.Split(' '));

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal($"Run '{command} --help' for usage.", lines[1]);
        Assert.Equal($"gatehouse: error: {message}", lines[0]);
    }

    [Fact]
    public void AWordCloseToSeveralCommands_SuggestsEachOfThem()
    {
        var nearest = CommandSuggestions.Nearest("dent", ["deny", "dens", "validate"]);

        Assert.Equal(["dens", "deny"], nearest.Order());
    }

    [Fact]
    public void AWordNearNoCommand_SaysSoWithoutAGuess()
    {
        var result = Run("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: 'frobnicate' is not a command of gatehouse\nRun 'gatehouse --help' for usage.\n", result.Error);
    }

    [Fact]
    public void AnUnknownOption_IsStillReportedAsAnOption()
    {
        var result = Run("validate", "--colour");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--colour", result.Error);
        Assert.DoesNotContain("is not a command", result.Error);
    }
}
