namespace Gatehouse.Cli.Tests.Templates;

/// <summary>
/// new, template update, diff and check against a real template repository with tagged versions
/// and a real project repository, as a team would use them.
/// </summary>
public sealed class TemplateScenarioTests : IDisposable
{
    private const string Definition = """
        name: demo
        questions:
          - name: app
            help: The app's name
            pattern: ^[a-z][a-z0-9-]*$
          - name: ci
            type: bool
            default: true
          - name: port
            type: int
            default: 8080
        files:
          when:
            - paths: [".github/**"]
              if: ci
          verbatim: ["*.tmpl"]
        migrations:
          1.1.0: Program.txt gained a footer.
          2.0.0: |
            Settings moved to config/settings.txt.
        """;

    private const string Program = "header\nhello {{ app }}\nbody 1\nbody 2\nbody 3\nbody 4\nbody 5\nport {{ port }}\n";

    private static readonly byte[] Logo = [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x7B, 0x7B, 0xFF, 0xFE];

    private readonly GitFixture template = new("template");
    private readonly string workspace = Directory.CreateTempSubdirectory("gatehouse-projects-").FullName;

    public TemplateScenarioTests()
    {
        template.Write("template.yaml", Definition)
            .Write("{{ app }}/Program.txt", Program)
            .Write("settings.txt", "name={{ app }}\n")
            .Write("notes.txt", "notes from the template\n")
            .Write(".github/workflows/ci.yml", "run: gatehouse validate {{ app }}\n")
            .Write("raw.tmpl", "{{ not rendered }}\n")
            .WriteBytes("assets/logo.png", Logo)
            .Release("v1.0.0");
    }

    private string ProjectPath => Path.Combine(workspace, "billing");

    private string ProjectFile(string relative) => File.ReadAllText(Path.Combine(ProjectPath, relative));

    private bool ProjectHas(string relative) => File.Exists(Path.Combine(ProjectPath, relative));

    private CliResult InProject(params string[] args) => CliRunner.Run(ProjectPath, args);

    /// <summary>Creates the project at v1.0.0 and commits it, as a team would.</summary>
    private void CreateProject(params string[] extra)
    {
        var result = CliRunner.Run(workspace, ["new", template.Path, "billing", "--version", "1.0.0", "--answer", "app=billing", .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        GitFixture.Run(ProjectPath, "init", "--quiet");
        CommitProject("created from the template");
    }

    private void CommitProject(string message)
    {
        GitFixture.Run(ProjectPath, "add", "--all");
        GitFixture.Run(ProjectPath, "-c", "user.email=t@example.com", "-c", "user.name=T", "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", message);
    }

    private void EditProject(string relative, Func<string, string> edit)
    {
        var full = Path.Combine(ProjectPath, relative);
        File.WriteAllText(full, edit(File.ReadAllText(full)));
        CommitProject("team edit");
    }

    [Fact]
    public void New_RendersContentsAndNames_CopiesBinaryUntouched_AndRecordsVersionAnswersAndHashes()
    {
        CreateProject("--answer", "port=9000");

        Assert.Equal("header\nhello billing\nbody 1\nbody 2\nbody 3\nbody 4\nbody 5\nport 9000\n", ProjectFile("billing/Program.txt"));
        Assert.Equal("run: gatehouse validate billing\n", ProjectFile(".github/workflows/ci.yml"));
        Assert.Equal("{{ not rendered }}\n", ProjectFile("raw.tmpl"));
        Assert.Equal(Logo, File.ReadAllBytes(Path.Combine(ProjectPath, "assets/logo.png")));
        Assert.False(ProjectHas("template.yaml"));

        var record = ProjectFile(".gatehouse/template.yaml");
        Assert.Contains($"source: \"{template.Path}\"", record);
        Assert.Contains("version: \"1.0.0\"", record);
        Assert.Contains("\"app\": \"billing\"", record);
        Assert.Contains("\"ci\": \"true\"", record);
        Assert.Contains("\"port\": \"9000\"", record);
        Assert.Matches("\"billing/Program.txt\": \"sha256:[0-9a-f]{64}\"", record);
        Assert.Matches("\"assets/logo.png\": \"sha256:[0-9a-f]{64}\"", record);
    }

    [Fact]
    public void New_ConditionFalse_LeavesTheFilesOut()
    {
        CreateProject("--answer", "ci=no");

        Assert.False(ProjectHas(".github/workflows/ci.yml"));
        Assert.Contains("\"ci\": \"false\"", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void New_InvalidOrMissingAnswers_AreRefusedAndNothingIsWritten()
    {
        var bad = CliRunner.Run(workspace, "new", template.Path, "billing", "--answer", "app=Bad Name", "--answer", "port=many", "--answer", "colour=red");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("answer to 'app': 'Bad Name' does not match the pattern", bad.Error);
        Assert.Contains("[GH7016]", bad.Error);
        Assert.Contains("'many' is not a whole number", bad.Error);
        Assert.Contains("the template asks no question 'colour' [GH7017]".Replace(" [GH7017]", "", StringComparison.Ordinal), bad.Error);
        Assert.False(Directory.Exists(ProjectPath));

        var missing = CliRunner.Run(workspace, "new", template.Path, "billing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("question 'app' has no answer and no default; pass --answer app=VALUE", missing.Error);
        Assert.Contains("[GH7018]", missing.Error);
    }

    [Fact]
    public void New_InATerminal_AsksTheQuestions()
    {
        var result = CliRunner.RunInTerminal(workspace, "Bad Name\nbilling\n\n\n", "new", template.Path, "billing");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("The app's name: ", result.Out);
        Assert.Contains("does not match the pattern", result.Out);
        Assert.Contains("ci (yes/no) [true]: ", result.Out);
        Assert.Equal("run: gatehouse validate billing\n", ProjectFile(".github/workflows/ci.yml"));
    }

    [Fact]
    public void New_IntoAFolderWithFiles_IsRefused()
    {
        Directory.CreateDirectory(ProjectPath);
        File.WriteAllText(Path.Combine(ProjectPath, "mine.txt"), "keep");

        var result = CliRunner.Run(workspace, "new", template.Path, "billing", "--answer", "app=billing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[GH7021]", result.Error);
        Assert.Equal(["mine.txt"], Directory.GetFiles(ProjectPath).Select(Path.GetFileName));
    }

    [Fact]
    public void New_TemplateThatFailsValidation_ReportsEveryProblemWithFileLineAndColumn()
    {
        template.Write("template.yaml", """
            name: demo
            questions:
              - name: App
                type: text
              - name: db
                type: choice
                default: mysql
                choices: [postgres, sqlite]
            files:
              when:
                - paths: [x]
                  if: "a =="
            colour: blue
            """).Release("v9.0.0");

        var result = CliRunner.Run(workspace, "new", template.Path, "billing", "--answer", "app=billing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("v9.0.0:template.yaml:3:11: error: question name 'App' must start with a lowercase letter", result.Error);
        Assert.Contains("[GH7005]", result.Error);
        Assert.Contains("v9.0.0:template.yaml:7:14: error: default of question 'db': 'mysql' is not one of: postgres, sqlite [GH7007]", result.Error);
        Assert.Contains("v9.0.0:template.yaml:12:11: error: condition 'a ==' is not a Liquid expression", result.Error);
        Assert.Contains("v9.0.0:template.yaml:13:1: error: unknown key 'colour' in template.yaml", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(Directory.Exists(ProjectPath));
    }

    [Fact]
    public void New_LiquidErrorInAFile_NamesTheVersionAndFile()
    {
        template.Write("broken.txt", "{{ app | nosuchfilter }}\n{{ undefined_variable }}\n").Release("v1.0.1");

        var result = CliRunner.Run(workspace, "new", template.Path, "billing", "--answer", "app=billing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("v1.0.1:broken.txt: error:", result.Error);
        Assert.False(Directory.Exists(ProjectPath));
    }

    [Fact]
    public void Update_CleanMerge_KeepsTheProjectsEditsAndBringsTheTemplatesChanges()
    {
        CreateProject();
        EditProject("billing/Program.txt", text => text.Replace("body 1", "body 1 changed by the team", StringComparison.Ordinal));
        template.Write("{{ app }}/Program.txt", Program + "footer from {{ app }}\n").Release("v1.1.0");

        var result = InProject("template", "update");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Updating 1.0.0 -> 1.1.0:", result.Out);
        Assert.Contains("  merged      billing/Program.txt", result.Out);
        Assert.Contains("Migration notes for 1.1.0:\n  Program.txt gained a footer.", result.Out);
        Assert.Equal("header\nhello billing\nbody 1 changed by the team\nbody 2\nbody 3\nbody 4\nbody 5\nport 8080\nfooter from billing\n", ProjectFile("billing/Program.txt"));
        Assert.Contains("version: \"1.1.0\"", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void Update_UnchangedFile_IsReplacedAndAnUpToDateProjectSaysSo()
    {
        CreateProject();
        template.Write("settings.txt", "name={{ app }}\nlevel=info\n").Release("v1.1.0");

        var first = InProject("template", "update");
        Assert.Contains("  updated     settings.txt", first.Out);
        Assert.Equal("name=billing\nlevel=info\n", ProjectFile("settings.txt"));
        CommitProject("update");

        var again = InProject("template", "update");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Up to date: version 1.1.0.", again.Out);
    }

    [Fact]
    public void Update_Conflict_WritesStandardMarkers_AndExits1WithTheFiles()
    {
        CreateProject();
        EditProject("billing/Program.txt", text => text.Replace("body 3", "body 3 by the team", StringComparison.Ordinal));
        template.Write("{{ app }}/Program.txt", Program.Replace("body 3", "body 3 by the template", StringComparison.Ordinal)).Release("v1.1.0");

        var result = InProject("template", "update");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("  CONFLICT    billing/Program.txt", result.Out);
        Assert.Contains("1 file have conflicts; resolve the marked lines, then commit [GH7024]:\n  billing/Program.txt", result.Error);
        var merged = ProjectFile("billing/Program.txt");
        Assert.Contains("<<<<<<< project\nbody 3 by the team\n=======\nbody 3 by the template\n>>>>>>> template 1.1.0\n", merged);
        Assert.StartsWith("header\nhello billing\n", merged, StringComparison.Ordinal);
        Assert.Contains("version: \"1.1.0\"", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void Update_FileTheProjectDeleted_StaysDeleted()
    {
        CreateProject();
        File.Delete(Path.Combine(ProjectPath, "settings.txt"));
        CommitProject("we do not need settings");
        template.Write("settings.txt", "name={{ app }}\nlevel=debug\n").Release("v1.1.0");

        var result = InProject("template", "update");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("  not added   settings.txt: you deleted it; the template changed it", result.Out);
        Assert.False(ProjectHas("settings.txt"));

        // And it stays deleted on the next update too.
        CommitProject("update");
        template.Write("settings.txt", "name={{ app }}\nlevel=trace\n").Release("v1.2.0");
        Assert.Equal(0, InProject("template", "update").ExitCode);
        Assert.False(ProjectHas("settings.txt"));
    }

    [Fact]
    public void Update_FileTheTemplateDropped_IsRemovedWhenUnchanged_AndKeptAndReportedWhenChanged()
    {
        CreateProject();
        EditProject("notes.txt", text => text + "our own notes\n");
        template.Delete("notes.txt").Delete("settings.txt").Release("v1.1.0");

        var result = InProject("template", "update");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("  removed     settings.txt", result.Out);
        Assert.Contains("  kept        notes.txt: the template dropped it; kept because you changed it", result.Out);
        Assert.False(ProjectHas("settings.txt"));
        Assert.Equal("notes from the template\nour own notes\n", ProjectFile("notes.txt"));
        Assert.DoesNotContain("notes.txt", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void Update_RenameNotedInTheTemplate_MovesTheFileWithTheProjectsEditsAndTheTemplatesChanges()
    {
        CreateProject();
        EditProject("settings.txt", text => "# ours\n" + text);
        template.Delete("settings.txt")
            .Write("config/settings.txt", "name={{ app }}\nmore=1\n")
            .Write("template.yaml", Definition + "\nrenamed:\n  - from: settings.txt\n    to: config/settings.txt\n")
            .Release("v2.0.0");

        var result = InProject("template", "update");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("  renamed     settings.txt -> config/settings.txt", result.Out);
        Assert.Contains("Migration notes for 2.0.0:\n  Settings moved to config/settings.txt.", result.Out);
        Assert.False(ProjectHas("settings.txt"));
        Assert.Equal("# ours\nname=billing\nmore=1\n", ProjectFile("config/settings.txt"));
    }

    [Fact]
    public void Update_RenameWithoutANote_IsFoundByIdenticalContent()
    {
        CreateProject();
        EditProject("notes.txt", text => text + "ours\n");
        template.Delete("notes.txt").Write("docs/notes.txt", "notes from the template\n").Release("v1.1.0");

        var result = InProject("template", "update");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("  renamed     notes.txt -> docs/notes.txt", result.Out);
        Assert.Equal("notes from the template\nours\n", ProjectFile("docs/notes.txt"));
        Assert.False(ProjectHas("notes.txt"));
    }

    [Fact]
    public void Update_ChangedAnswer_ReRendersWhatDependsOnIt_KeepingEdits()
    {
        CreateProject();
        EditProject("billing/Program.txt", text => text.Replace("body 2", "body 2 ours", StringComparison.Ordinal));

        var result = InProject("template", "update", "--answer", "port=9090", "--answer", "ci=false");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Updating version 1.0.0:", result.Out);
        Assert.Contains("port 9090\n", ProjectFile("billing/Program.txt"));
        Assert.Contains("body 2 ours\n", ProjectFile("billing/Program.txt"));
        Assert.Contains("  removed     .github/workflows/ci.yml", result.Out);
        Assert.False(ProjectHas(".github/workflows/ci.yml"));
        Assert.Contains("\"port\": \"9090\"", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void Update_BinaryFile_ArrivesByteForByte_AndABinaryChangedByBothIsAConflictKeepingOurs()
    {
        CreateProject();
        byte[] newLogo = [.. Logo, 0x00, 0x42];
        template.WriteBytes("assets/logo.png", newLogo).WriteBytes("assets/icon.bin", [0, 1, 2]).Release("v1.1.0");
        Assert.Equal(0, InProject("template", "update").ExitCode);
        Assert.Equal(newLogo, File.ReadAllBytes(Path.Combine(ProjectPath, "assets/logo.png")));
        Assert.Equal(new byte[] { 0, 1, 2 }, File.ReadAllBytes(Path.Combine(ProjectPath, "assets/icon.bin")));
        CommitProject("update");

        File.WriteAllBytes(Path.Combine(ProjectPath, "assets/icon.bin"), [0, 9, 9]);
        CommitProject("our icon");
        template.WriteBytes("assets/icon.bin", [0, 7, 7]).Release("v1.2.0");
        var result = InProject("template", "update");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("  CONFLICT    assets/icon.bin: binary file changed by both; kept yours", result.Out);
        Assert.Equal(new byte[] { 0, 9, 9 }, File.ReadAllBytes(Path.Combine(ProjectPath, "assets/icon.bin")));
    }

    [Fact]
    public void Update_NeverTouchesFilesTheTemplateDidNotProduce()
    {
        CreateProject();
        File.WriteAllText(Path.Combine(ProjectPath, "ours.txt"), "ours\n");
        CommitProject("our file");
        template.Write("ours.txt", "the template's\n").Write("other.txt", "new\n").Release("v1.1.0");

        var result = InProject("template", "update");

        // Both added the same path: git's add/add conflict, markers around each side; nothing silently replaced.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("  CONFLICT    ours.txt", result.Out);
        Assert.Contains("<<<<<<< project\nours\n=======\nthe template's\n>>>>>>> template 1.1.0\n", ProjectFile("ours.txt"));
        Assert.Equal("new\n", ProjectFile("other.txt"));
    }

    [Fact]
    public void Update_OnADirtyWorkTree_IsRefusedUnlessAllowed()
    {
        CreateProject();
        template.Write("settings.txt", "changed\n").Release("v1.1.0");
        File.WriteAllText(Path.Combine(ProjectPath, "work-in-progress.txt"), "unsaved\n");

        var refused = InProject("template", "update");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("uncommitted changes", refused.Error);
        Assert.Contains("[GH7023]", refused.Error);
        Assert.Equal("name=billing\n", ProjectFile("settings.txt"));
        Assert.Contains("version: \"1.0.0\"", ProjectFile(".gatehouse/template.yaml"));

        var allowed = InProject("template", "update", "--allow-dirty");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("changed\n", ProjectFile("settings.txt"));
    }

    [Fact]
    public void DryRunAndDiff_ShowTheChange_AndWriteNothing()
    {
        CreateProject();
        template.Write("settings.txt", "name={{ app }}\nlevel=info\n").Release("v1.1.0");

        var dry = InProject("template", "update", "--dry-run");
        var diff = InProject("template", "diff");

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("Would update 1.0.0 -> 1.1.0:\n  updated     settings.txt", dry.Out);
        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("--- a/settings.txt\n+++ b/settings.txt\n@@ -1 +1,2 @@\n name=billing\n+level=info\n", diff.Out);
        Assert.Equal("name=billing\n", ProjectFile("settings.txt"));
        Assert.Contains("version: \"1.0.0\"", ProjectFile(".gatehouse/template.yaml"));
    }

    [Fact]
    public void UpdateTo_AnUnknownVersion_ListsTheVersions()
    {
        CreateProject();

        var result = InProject("template", "update", "--to", "7.0.0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the template has no version '7.0.0'; it has: 1.0.0 [GH7019]", result.Error);
    }

    [Fact]
    public void Check_ExitsOneWhenMoreThanNVersionsBehind()
    {
        CreateProject();
        template.Write("a.txt", "a\n").Release("v1.1.0").Write("b.txt", "b\n").Release("v1.2.0");

        var strict = InProject("template", "check");
        var lenient = InProject("template", "check", "--max-behind", "2");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("the project is on 1.0.0, 2 versions behind 1.2.0 (allowed: 0)", strict.Error);
        Assert.Contains("[GH7025]", strict.Error);
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("On 1.0.0, 2 behind 1.2.0 (allowed: 2).", lenient.Out);
    }

    [Fact]
    public void Update_OutsideAProjectMadeFromATemplate_SaysHowToStart()
    {
        Directory.CreateDirectory(ProjectPath);

        var result = InProject("template", "update");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no .gatehouse/template.yaml", result.Error);
        Assert.Contains("[GH7022]", result.Error);
    }

    [Theory]
    [InlineData("new", "gatehouse new ../templates/aspnet-service billing --answer app=billing")]
    [InlineData("template update", "gatehouse template update --to 1.2.0 --dry-run")]
    [InlineData("template diff", "gatehouse template diff --to 2.0.0")]
    [InlineData("template check", "gatehouse template check --max-behind 2")]
    public void Help_EndsWithExamples(string command, string example)
    {
        var result = CliRunner.Run(Path.GetTempPath(), [.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:\n", result.Out);
        Assert.Contains(example, result.Out);
    }

    public void Dispose()
    {
        template.Dispose();
        try
        {
            Directory.Delete(workspace, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
