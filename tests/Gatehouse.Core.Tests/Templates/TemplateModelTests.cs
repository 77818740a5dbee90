using System.Text;
using Gatehouse.Core.Templates;

namespace Gatehouse.Core.Tests.Templates;

public sealed class TemplateModelTests
{
    [Fact]
    public void SemVersion_orders_numerically_and_puts_prereleases_before_their_release()
    {
        var versions = new[] { "v1.10.0", "1.2.0", "v1.2.0-rc.1", "0.9.9", "2.0.0" }.Select(v => SemVersion.TryParse(v)!).Order().Select(v => v.ToString());

        Assert.Equal(["0.9.9", "1.2.0-rc.1", "1.2.0", "1.10.0", "2.0.0"], versions);
        Assert.Null(SemVersion.TryParse("release-1"));
        Assert.Null(SemVersion.TryParse("1.2"));
    }

    [Theory]
    [InlineData("*.png", "assets/logo.png", true)]
    [InlineData("*.png", "logo.png", true)]
    [InlineData(".github/**", ".github/workflows/ci.yml", true)]
    [InlineData(".github/**", "src/.github/x", false)]
    [InlineData("src/*.cs", "src/a/b.cs", false)]
    [InlineData("src/**/*.cs", "src/a/b.cs", true)]
    [InlineData("docs", "docs/readme.md", true)]
    public void PathGlob_matches_like_gitignore(string pattern, string path, bool matches) =>
        Assert.Equal(matches, PathGlob.Create(pattern).IsMatch(path));

    [Fact]
    public void TemplateRecord_round_trips_answers_and_paths_with_any_characters()
    {
        var record = new TemplateRecord("https://git.example.com/t.git", SemVersion.TryParse("1.2.3")!,
            new Dictionary<string, string> { ["app"] = "billing", ["motto"] = "say \"hi\": #1\nthen go" },
            new Dictionary<string, string> { ["src/{weird} name.cs"] = TemplateRecord.Hash("x"u8) });

        var (read, diagnostics) = TemplateRecord.Read(".gatehouse/template.yaml", Encoding.UTF8.GetBytes(record.ToYaml()));

        Assert.Empty(diagnostics);
        Assert.Equal("1.2.3", read!.Version.ToString());
        Assert.Equal(record.Answers, read.Answers);
        Assert.Equal(record.Files, read.Files);
    }

    [Fact]
    public void Definition_reader_reports_every_problem_with_its_position()
    {
        var (definition, diagnostics) = TemplateDefinitionReader.Read("template.yaml", """
            questions:
              - name: port
                type: int
                default: eighty
              - name: port
              - help: no name
            migrations:
              next: notes
            """u8);

        Assert.Null(definition);
        Assert.Equal(["template.yaml:4:14 GH7007", "template.yaml:5:5 GH7010", "template.yaml:6:5 GH7004", "template.yaml:8:3 GH7012"],
            diagnostics.Select(d => $"{d.Location} {d.Code}"));
    }

    [Fact]
    public void Renderer_renders_names_and_contents_leaves_binary_alone_and_drops_empty_names()
    {
        var (definition, _) = TemplateDefinitionReader.Read("template.yaml", """
            questions:
              - name: app
              - name: docker
                type: bool
                default: false
            """u8);
        var files = new Dictionary<string, byte[]>
        {
            ["{{ app }}/main.txt"] = "hello {{ app | upcase }}"u8.ToArray(),
            ["{% if docker %}Dockerfile{% endif %}"] = "FROM x"u8.ToArray(),
            ["bin.dat"] = [0, 123, 123, 0],
        };
        var problems = new List<Gatehouse.Core.Diagnostics.Diagnostic>();

        var rendered = TemplateRenderer.Render(definition!, files, new Dictionary<string, string> { ["app"] = "pay", ["docker"] = "false" }, problems);

        Assert.Empty(problems);
        Assert.Equal(["bin.dat", "pay/main.txt"], rendered.Keys.Order());
        Assert.Equal("hello PAY", Encoding.UTF8.GetString(rendered["pay/main.txt"].Content));
        Assert.Equal(new byte[] { 0, 123, 123, 0 }, rendered["bin.dat"].Content);
    }
}
