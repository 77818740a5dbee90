using System.Text.Json.Nodes;
using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Templates;

/// <summary>
/// Templates seen from the platform, end to end (docs/adr/0029-template-records.md): a service made
/// with <c>gatehouse new</c> from a real tagged template repository, pushed to a real server,
/// the template published, and <c>report templates</c> showing how far the service is behind.
/// </summary>
public sealed class TemplateReportTests : IAsyncLifetime
{
    private const string Definition = """
        name: svc
        questions:
          - name: app
            pattern: ^[a-z][a-z0-9-]*$
        migrations:
          1.1.0: Add the health check to your Dockerfile.
          2.0.0: |
            Program.cs moved to src/.
        """;

    private const string Manifest = """
        apiVersion: gatehouse/v1
        app: {{ app }}
        owners: [team:payments]
        scopes:
          - name: orders.read
        """;

    private readonly GitFixture template = new("template");
    private SeededGatehouse gatehouse = null!;

    public async Task InitializeAsync()
    {
        template.Write("template.yaml", Definition).Write("gatehouse.yaml", Manifest).Write("Program.cs", "// v1\n").Release("v1.0.0")
            .Write("Program.cs", "// v1.1\n").Release("v1.1.0")
            .Write("Program.cs", "// v2\n").Release("v2.0.0");
        gatehouse = await SeededGatehouse.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await gatehouse.DisposeAsync();
        template.Dispose();
    }

    private CliResult Run(params string[] args) => gatehouse.Run(gatehouse.Alice, null, args);

    [Fact]
    public void Push_carries_the_projects_template_and_version_and_report_templates_shows_the_app_behind_in_every_format()
    {
        var made = CliRunner.Run(gatehouse.Workspace.Path, "new", template.Path, "services/orders", "--version", "1.0.0", "--answer", "app=orders");
        Assert.True(made.ExitCode == 0, made.Error);
        var pushed = Run("push", ".");
        Assert.True(pushed.ExitCode == 0, pushed.Error);

        // Not yet published: the app and its version are known, its distance is not.
        var before = Run("report", "templates");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains($"{template.Path} (not published): 1 app, 0 behind", before.Out, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+1\.0\.0\s+unknown", before.Out);

        var published = Run("template", "publish", template.Path);
        Assert.True(published.ExitCode == 0, published.Error);
        Assert.Equal("Template svc: 3 versions, published.\n", published.Out);
        Assert.Equal("Template svc: 3 versions, unchanged.\n", Run("template", "publish", template.Path).Out);

        var text = Run("report", "templates");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("svc (latest 2.0.0): 1 app, 1 behind", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+1\.0\.0\s+2 versions\s+1\.1\.0, 2\.0\.0", text.Out);
        Assert.Matches(@"2\.0\.0 \(latest\)\s+0\s+Program\.cs moved to src/\.", text.Out);

        var json = JsonNode.Parse(Run("report", "templates", "--format", "json").Out)!["templates"]![0]!;
        Assert.Equal(("svc", 2), (json["name"]!.ToString(), json["apps"]![0]!["behind"]!.GetValue<int>()));
        Assert.Equal("Add the health check to your Dockerfile.", json["apps"]![0]!["notes"]![0]!["note"]!.ToString());

        var markdown = Run("report", "templates", "--format", "markdown").Out;
        Assert.StartsWith("# Templates\n\n## svc (latest 2.0.0): 1 app, 1 behind\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| `orders` | 1.0.0 | 2 versions | 1.1.0: Add the health check to your Dockerfile.<br>2.0.0: Program.cs moved to src/. |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_push_without_the_record_clears_it_and_a_broken_record_stops_the_push()
    {
        Assert.Equal(0, CliRunner.Run(gatehouse.Workspace.Path, "new", template.Path, "services/orders", "--answer", "app=orders").ExitCode);
        Assert.Equal(0, Run("push", ".").ExitCode);
        Assert.Matches(@"orders\s+2\.0\.0", Run("report", "templates").Out);

        var record = Path.Combine(gatehouse.Workspace.Path, "services/orders/.gatehouse/template.yaml");
        var content = File.ReadAllText(record);
        File.WriteAllText(record, content.Replace("version: \"2.0.0\"", "version: \"two\"", StringComparison.Ordinal));
        var broken = Run("push", ".");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("services/orders/.gatehouse/template.yaml:", broken.Error, StringComparison.Ordinal);
        Assert.Contains("GH7029", broken.Error, StringComparison.Ordinal);

        File.Delete(record);
        Assert.Equal(0, Run("push", ".").ExitCode);
        Assert.Equal("No template is published and no app has pushed a template record.\n", Run("report", "templates").Out);
    }
}
