using System.CommandLine;

namespace Gatehouse.Cli.Tests;

/// <summary>
/// A command line that names a command builds only that command (ADR 0035): users must not be
/// able to tell, so each command's help, errors and names must be what the whole tree gives.
/// </summary>
public sealed class CommandTreeTests
{
    private static CliContext Context(StringWriter output, StringWriter error) =>
        new(output, error, new StringReader(""), IsInteractive: false, Path.GetTempPath());

    [Fact]
    public void EveryCommand_IsRegisteredUnderTheNameItIsBuiltWith()
    {
        var root = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter()));

        Assert.Equal(GatehouseCommandLine.CommandNames, root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void ACommandLineNamingACommand_BuildsThatCommandAlone()
    {
        var root = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter()), ["validate", "."]);

        Assert.Equal(["validate"], root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void TheVersionOption_BuildsNoCommandAndPrintsTheVersion()
    {
        var root = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter()), ["--version"]);
        var result = CliRunner.Run(Path.GetTempPath(), "--version");

        Assert.Empty(root.Subcommands);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Out);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--version", "--help")]
    [InlineData("valdate")]
    [InlineData("@args.rsp")]
    public void AnyOtherCommandLine_BuildsTheWholeTree(params string[] args)
    {
        var root = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter()), args);

        Assert.Equal(GatehouseCommandLine.CommandNames, root.Subcommands.Select(c => c.Name));
    }

    public static TheoryData<string> Names() => [.. GatehouseCommandLine.CommandNames];

    [Theory]
    [MemberData(nameof(Names))]
    public void HelpOfEachCommand_IsTheSameBuiltAloneAsInTheWholeTree(string name)
    {
        var whole = Invoke(GatehouseCommandLine.Build, [name, "--help"]);
        var alone = CliRunner.Run(Path.GetTempPath(), name, "--help");

        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(whole, alone.Out);
    }

    [Theory]
    [InlineData("validate", "--format", "xml")]
    [InlineData("check", "--env")]
    [InlineData("token", "creat")]
    public void ParseErrors_AreTheSameBuiltAloneAsInTheWholeTree(params string[] args)
    {
        var whole = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter())).Parse(args);
        var alone = GatehouseCommandLine.Build(Context(new StringWriter(), new StringWriter()), args).Parse(args);

        Assert.NotEmpty(alone.Errors);
        Assert.Equal(whole.Errors.Select(e => e.Message), alone.Errors.Select(e => e.Message));
    }

    // Runs a command line against the whole tree, as every command line was run before.
    private static string Invoke(Func<CliContext, RootCommand> build, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = build(Context(output, error));
        root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return output.ToString().Replace("\r\n", "\n");
    }
}
