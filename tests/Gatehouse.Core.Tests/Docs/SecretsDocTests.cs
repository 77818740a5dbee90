using System.Diagnostics;
using System.Text.RegularExpressions;
using Gatehouse.Core.Secrets;
using Gatehouse.Core.Tests.Schema;

namespace Gatehouse.Core.Tests.Docs;

/// <summary>
/// The scanner rules in docs/secrets.md are read out of the document and run against secrets the
/// code generates, so the rules people copy cannot drift from the format.
/// </summary>
public sealed class SecretsDocTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryPaths.Combine("docs", "secrets.md")).ReplaceLineEndings("\n");

    private static readonly string[] Generated = [.. Enum.GetValues<SecretKind>().SelectMany(k => Enumerable.Range(0, 50).Select(_ => SecretFormat.New(k)))];

    private static string Block(string language) =>
        Assert.Single(Regex.Matches(Doc, $"```{language}\n(.*?)```", RegexOptions.Singleline)).Groups[1].Value;

    private static string GitleaksRegex() =>
        Regex.Match(Block("toml"), "^regex = '''(.+)'''$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no regex line in the toml block");

    private static string GitHubField(string name) =>
        Regex.Match(Block("text"), $"^{name}:\\s+(.+)$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value.Trim() : throw new Xunit.Sdk.XunitException($"no {name} in the text block");

    [Fact]
    public void GitleaksRule_MatchesEveryGeneratedSecret_InTextAsAScannerSeesIt()
    {
        var rule = new Regex(GitleaksRegex());

        foreach (var secret in Generated)
        {
            var found = rule.Match($"export GATEHOUSE_TOKEN=\"{secret}\"\n");
            Assert.True(found.Success, secret);
            Assert.Equal(secret, found.Groups[1].Value);
        }
    }

    [Theory]
    [InlineData("ghp_0123456789012345678901234567890123456789")]
    [InlineData("gthx_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdH")]
    [InlineData("xgthp_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdH")]
    [InlineData("gthp_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdHx")]
    public void GitleaksRule_DoesNotMatchOtherShapes(string text) =>
        Assert.DoesNotMatch(new Regex(GitleaksRegex()), text);

    [Fact]
    public void GitleaksRule_KeywordsAreThePrefixes()
    {
        var keywords = Regex.Match(Block("toml"), "^keywords = \\[(.*)\\]$", RegexOptions.Multiline).Groups[1].Value;

        Assert.Equal(Enum.GetValues<SecretKind>().Select(SecretFormat.Prefix).Order(), Regex.Matches(keywords, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order());
    }

    [Fact]
    public void GitHubCustomPattern_WithItsBoundaries_MatchesEveryGeneratedSecret()
    {
        var pattern = new Regex($"(?:{GitHubField("Before secret")})({GitHubField("Secret format")})(?:{GitHubField("After secret")})");

        foreach (var secret in Generated)
        {
            Assert.Equal(secret, pattern.Match($"token: {secret}\n").Groups[1].Value);
            Assert.Equal(secret, pattern.Match(secret).Groups[1].Value);
        }

        Assert.DoesNotMatch(pattern, "agthp_" + Generated[0][5..]);
    }

    [Fact]
    public void TheFormatDiagramsExample_IsAWellFormedSecret()
    {
        var example = Regex.Match(Doc, "```\n(gth[a-z]_[0-9A-Za-z]+)\n").Groups[1].Value;

        Assert.True(SecretFormat.IsWellFormed(example, SecretKind.PersonalToken), example);
    }

    [Fact]
    public void PythonCheck_AcceptsGeneratedSecrets_AndRefusesABadChecksum()
    {
        if (FindOnPath("python3") is not { } python)
        {
            return; // the snippet needs Python; the C# checks above still hold the format to the docs
        }

        var bad = Generated[0][..^1] + (Generated[0][^1] == 'a' ? 'b' : 'a');
        var script = Block("python") + "\nimport sys\nprint(' '.join(str(is_gatehouse_secret(s)) for s in sys.argv[1:]))\n";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, Generated[0], Generated[^1], bad, "ghp_0123456789012345678901234567890123456789" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal("True True False False", output.Trim());
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
