using System.Text.Json;
using Json.Schema;

namespace Gatehouse.Cli.Tests.Output;

/// <summary><c>validate --format sarif</c> is SARIF 2.1.0 by the official schema, with findings on the manifest lines.</summary>
public sealed class SarifOutputTests
{
    private static JsonSchema OfficialSchema()
    {
        // Vendored draft-04 text (see SARIF-SCHEMA-NOTICE.md), read as draft-07: `id` is `$id` there.
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Output", "sarif-schema-2.1.0.json"))
            .Replace("\"http://json-schema.org/draft-04/schema#\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal)
            .Replace("\"id\": \"https://raw.githubusercontent.com", "\"$id\": \"https://raw.githubusercontent.com", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        return JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    [Fact]
    public void ValidateAsSarif_WithErrorsAndWarnings_IsValidSarif210_PointingAtTheLines()
    {
        using var workspace = new Workspace();
        workspace.Write("services/my shop/gatehouse.yaml", "apiVersion: gatehouse/v1\napp: shop\nowners: [team:payments]\nneeds:\n  - app: customers\n    scopes: [profile.red]\n    reason: Show names\n");

        var result = CliRunner.Run(workspace.Path, "validate", "--format", "sarif", ".");
        using var sarif = JsonDocument.Parse(result.Out);
        var evaluation = OfficialSchema().Evaluate(sarif.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.Equal(1, result.ExitCode);
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var finding = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "GH2002");
        var location = finding.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("error", finding.GetProperty("level").GetString());
        Assert.Equal("services/my%20shop/gatehouse.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(6, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Contains(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(),
            r => r.GetProperty("id").GetString() == "GH2002" && r.GetProperty("helpUri").GetString() == "https://gatehouse.dev/docs/errors#gh2002");
    }

    [Fact]
    public void ValidateAsSarif_WithNoFindings_IsValidSarifWithNoResults()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "validate", "--format", "sarif", ".");
        using var sarif = JsonDocument.Parse(result.Out);

        Assert.Equal(0, result.ExitCode);
        Assert.True(OfficialSchema().Evaluate(sarif.RootElement).IsValid);
        Assert.Equal(0, sarif.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void OfficialSchema_RefusesABrokenLog_SoTheTestCanFail()
    {
        using var broken = JsonDocument.Parse("""{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[]}]}""");

        Assert.False(OfficialSchema().Evaluate(broken.RootElement).IsValid);
    }
}
