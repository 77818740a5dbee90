using System.Diagnostics;

namespace Gatehouse.Cli.Tests.Templates;

/// <summary>
/// The shipped examples/templates/aspnet-service, released as three versions in a test repository:
/// a service made from it builds, validates, takes a team's edit, and still builds after an update.
/// Slow (two dotnet builds), so one test.
/// </summary>
public sealed class AspNetServiceTemplateTests : IDisposable
{
    private readonly GitFixture template = new("aspnet-service");
    private readonly string workspace = Directory.CreateTempSubdirectory("gatehouse-aspnet-").FullName;

    [Fact]
    public void A_service_from_the_template_builds_validates_and_updates_with_the_teams_edits()
    {
        var root = RepositoryRoot();
        CopyFolder(Path.Combine(root, "examples", "templates", "aspnet-service"), template.Path);
        template.Release("v1.0.0");
        var program = template.Read("Program.cs");
        template.Write("Program.cs", program.Replace("app.Run();", "app.MapGet(\"/readyz\", () => \"ready\").AllowAnonymous();\n\napp.Run();", StringComparison.Ordinal))
            .Release("v1.1.0");
        template.Write("template.yaml", template.Read("template.yaml") + "migrations:\n  2.0.0: The service answers /version.\n")
            .Write("Program.cs", template.Read("Program.cs").Replace("app.Run();", "app.MapGet(\"/version\", () => \"2\").AllowAnonymous();\n\napp.Run();", StringComparison.Ordinal))
            .Release("v2.0.0");

        var aspnetcore = Path.Combine(root, "src", "Gatehouse.AspNetCore", "Gatehouse.AspNetCore.csproj");
        var created = CliRunner.Run(workspace, "new", template.Path, "invoices", "--version", "1.0.0",
            "--answer", "app=invoices", "--answer", "owners=team:payments, user:alice", "--answer", "scopes=invoices.read,invoices.write",
            "--answer", $"gatehouse_aspnetcore={aspnetcore}");
        Assert.True(created.ExitCode == 0, created.Error);
        var project = Path.Combine(workspace, "invoices");
        var manifest = File.ReadAllText(Path.Combine(project, "gatehouse.yaml"));
        Assert.Contains("app: invoices\n", manifest);
        Assert.Contains("  - team:payments\n  - user:alice\n", manifest);
        Assert.Contains("  - name: invoices.write\n", manifest);
        Assert.Contains(".RequireScope(\"invoices:invoices.read\")", File.ReadAllText(Path.Combine(project, "Program.cs")));
        Assert.Contains("${{ secrets.GATEHOUSE_DEPLOY_TOKEN }}", File.ReadAllText(Path.Combine(project, ".github/workflows/gatehouse.yml")));
        Assert.False(File.Exists(Path.Combine(project, "README.template.md")));

        var validated = CliRunner.Run(project, "validate", ".");
        Assert.True(validated.ExitCode == 0, validated.Out + validated.Error);
        DotnetBuild(project);

        // The team adds an endpoint of its own and commits, as it would.
        GitFixture.Run(project, "init", "--quiet");
        File.WriteAllText(Path.Combine(project, ".gitignore"), "bin/\nobj/\n");
        var edited = File.ReadAllText(Path.Combine(project, "Program.cs"))
            .Replace("app.MapGet(\"/healthz\"", "app.MapGet(\"/team\", () => \"ours\").AllowAnonymous();\n\napp.MapGet(\"/healthz\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project, "Program.cs"), edited);
        Commit(project);

        Assert.Equal(1, CliRunner.Run(project, "template", "check", "--max-behind", "1").ExitCode);
        var updated = CliRunner.Run(project, "template", "update", "--to", "1.1.0");
        Assert.True(updated.ExitCode == 0, updated.Out + updated.Error);
        Assert.Contains("  merged      Program.cs", updated.Out);
        var merged = File.ReadAllText(Path.Combine(project, "Program.cs"));
        Assert.Contains("app.MapGet(\"/team\"", merged);
        Assert.Contains("app.MapGet(\"/readyz\"", merged);
        Assert.Equal(0, CliRunner.Run(project, "template", "check", "--max-behind", "1").ExitCode);
        DotnetBuild(project);
    }

    private static void Commit(string project)
    {
        GitFixture.Run(project, "add", "--all");
        GitFixture.Run(project, "-c", "user.email=t@example.com", "-c", "user.name=T", "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "team");
    }

    private static void DotnetBuild(string project)
    {
        var start = new ProcessStartInfo("dotnet", ["build", "-v", "q", "--nologo", "-p:NuGetAudit=false"])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet build failed:\n{output.Result}\n{error}");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot()
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
