using System.Diagnostics;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Tests.Integrations;

/// <summary>
/// The ready-made CI integrations (issue 11): action.yml and the GitLab template parse as YAML and
/// have the shape their CI system needs, every shell script and `run:` block is valid bash, and
/// the pull-request comment script updates its one comment rather than adding one per push.
/// </summary>
public sealed class CiIntegrationFilesTests
{
    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static YamlMapping ReadYaml(string relative)
    {
        var document = YamlReader.Read(relative, File.ReadAllBytes(Path.Combine(Root(), relative)));
        Assert.Empty(document.Diagnostics);
        return Assert.IsType<YamlMapping>(document.Root);
    }

    private static YamlNode? Get(YamlNode? node, string key) =>
        (node as YamlMapping)?.Entries.Where(e => e.Key.Value == key).Select(e => e.Value).FirstOrDefault();

    private static string? Text(YamlNode? node, string key) => (Get(node, key) as YamlScalar)?.Value;

    private static (int Code, string Out, string Error) Bash(string arguments, string? input = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void Action_IsACompositeAction_WhoseStepsAreValidBash()
    {
        var action = ReadYaml("action.yml");

        Assert.Equal("composite", Text(Get(action, "runs"), "using"));
        Assert.NotNull(Get(Get(action, "inputs"), "url"));
        Assert.Equal("true", Text(Get(Get(action, "inputs"), "url"), "required"));
        var steps = Assert.IsType<YamlSequence>(Get(Get(action, "runs"), "steps")).Items;
        Assert.Equal(["Install gatehouse", "Validate manifests", "Comment the plan", "Push", "Check access"], steps.Select(s => Text(s, "name")));
        foreach (var step in steps)
        {
            Assert.Equal("bash", Text(step, "shell"));
            var script = Text(step, "run")!;
            Assert.DoesNotContain("${{", script, StringComparison.Ordinal); // inputs reach scripts through env, never pasted into code
            var syntax = Bash("-n", script);
            Assert.True(syntax.Code == 0, $"{Text(step, "name")}: {syntax.Error}");
        }
    }

    [Fact]
    public void GitLabTemplate_HasTheJobsAndTheIdToken_AndItsScriptsAreValidBash()
    {
        var template = ReadYaml("ci/gitlab/gatehouse.gitlab-ci.yml");

        Assert.Equal("$GATEHOUSE_URL", Text(Get(Get(Get(template, ".gatehouse"), "id_tokens"), "GATEHOUSE_ID_TOKEN"), "aud"));
        foreach (var job in new[] { "gatehouse-validate", "gatehouse-plan", "gatehouse-push", ".gatehouse-check" })
        {
            var script = Assert.IsType<YamlSequence>(Get(Get(template, job), "script"));
            var text = string.Join('\n', script.Items.Select(i => ((YamlScalar)i).Value));
            Assert.True(Bash("-n", text).Code == 0, job);
        }

        Assert.Equal("gatehouse-junit.xml", Text(Get(Get(Get(template, ".gatehouse-check"), "artifacts"), "reports"), "junit"));
    }

    [Theory]
    [InlineData("ci/github/install.sh")]
    [InlineData("ci/github/comment-plan.sh")]
    [InlineData("ci/publish.sh")]
    [InlineData("ci/test-tool-install.sh")]
    public void Script_IsValidBash(string relative)
    {
        var result = Bash("-n " + Path.Combine(Root(), relative));

        Assert.True(result.Code == 0, result.Error);
    }

    /// <summary>
    /// comment-plan.sh against a `gh` on PATH that records its calls and answers the comment
    /// search as GitHub would (after --jq): GitHub itself is out of reach of the tests.
    /// </summary>
    [Theory]
    [InlineData("", "POST repos/acme/shop/issues/7/comments")]
    [InlineData("4242", "PATCH repos/acme/shop/issues/comments/4242")]
    public void CommentScript_AddsTheCommentOnce_ThenUpdatesIt(string existingComment, string expectedWrite)
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-gh-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "gh"), """
                #!/usr/bin/env bash
                printf '%s\n' "$*" >>"$GH_LOG"
                if [ "$2" = "--paginate" ] && [ -n "$FAKE_EXISTING" ]; then echo "$FAKE_EXISTING"; fi
                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(folder, "gh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.WriteAllText(Path.Combine(folder, "plan.md"), "| app | change |\n|---|---|\n| shop | 1 request filed |\n");
            var log = Path.Combine(folder, "gh.log");

            var result = Bash($"{Path.Combine(Root(), "ci/github/comment-plan.sh")} {Path.Combine(folder, "plan.md")}", environment: new Dictionary<string, string>
            {
                ["PATH"] = folder + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["GH_LOG"] = log,
                ["GH_REPO"] = "acme/shop",
                ["PR_NUMBER"] = "7",
                ["FAKE_EXISTING"] = existingComment,
            });

            Assert.True(result.Code == 0, result.Error);
            var calls = File.ReadAllText(log);
            Assert.StartsWith("api --paginate repos/acme/shop/issues/7/comments --jq .[] | select(.body | startswith(\"<!-- gatehouse-plan -->\")) | .id\n", calls, StringComparison.Ordinal);
            Assert.True(calls.Contains($"api --method {expectedWrite} -f body=<!-- gatehouse-plan -->\n| app | change |", StringComparison.Ordinal), calls);
            Assert.Equal(2, calls.Split("api ").Length - 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
