using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>How the schema tests read JsonSchema.Net's results, and a guard against keywords no validator knows.</summary>
public sealed class PublishedSchemaTests
{
    private static IReadOnlyList<SchemaError> Errors(string schema, string instance)
    {
        using var document = JsonDocument.Parse(instance);
        return PublishedSchema.Parse(schema).Evaluate(document.RootElement);
    }

    [Theory]
    [InlineData("gatehouse.v1.json")]
    [InlineData("gatehouse-org.v1.json")]
    public void PublishedSchema_UsesOnlyKeywordsOfDraft202012(string file) =>
        Assert.Empty(PublishedSchema.Load(RepositoryPaths.Combine("docs", "schema", file)).UnknownKeywords());

    [Fact]
    public void AMisspelledKeyword_IsFound() =>
        Assert.Contains(PublishedSchema.Parse("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","requird":["app"]}""").UnknownKeywords(), k => k.EndsWith("requird", StringComparison.Ordinal));

    [Fact]
    public void MissingAndUnknownKeys_AreReportedAtTheirOwnPointers()
    {
        const string schema = """{"type":"object","required":["app","owners"],"additionalProperties":false,"properties":{"app":{"type":"string"},"owners":{}}}""";

        var errors = Errors(schema, """{"ap":"billing"}""");

        Assert.Equal(["/ap", "/app", "/owners"], errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void ARepeatedItem_IsReportedAtTheRepeat()
    {
        var errors = Errors("""{"type":"array","uniqueItems":true}""", """["a","b","a","b","c"]""");

        Assert.Equal(["/2", "/3"], errors.Select(e => e.Path));
    }

    [Fact]
    public void RefsIntoDefs_ReportNestedPointers()
    {
        const string schema = """{"properties":{"needs":{"items":{"$ref":"#/$defs/need"}}},"$defs":{"need":{"required":["reason"],"properties":{"reason":{"type":"string","pattern":"\\S"}}}}}""";

        var errors = Errors(schema, """{"needs":[{"reason":"ok"},{"reason":"  "},{}]}""");

        Assert.Equal(["/needs/1/reason", "/needs/2/reason"], errors.Select(e => e.Path).Order());
    }
}
