using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>What editors rely on: hover text on every property, closed objects, stable identifiers.</summary>
public sealed class SchemaDocumentTests
{
    public static TheoryData<string> Schemas() => new("gatehouse.v1.json", "gatehouse-org.v1.json");

    [Theory]
    [InlineData("gatehouse.v1.json", "https://gatehouse.dev/schema/gatehouse.v1.json")]
    [InlineData("gatehouse-org.v1.json", "https://gatehouse.dev/schema/gatehouse-org.v1.json")]
    public void Schema_DeclaresDraft202012AndItsPublishedId(string file, string id)
    {
        var schema = Load(file);

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal(id, schema.GetProperty("$id").GetString());
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void EveryProperty_HasATitleAndADescriptionForHoverText(string file)
    {
        var missing = ObjectSchemas(Load(file))
            .SelectMany(s => s.Schema.GetProperty("properties").EnumerateObject().Select(p => (Where: $"{s.Where}/{p.Name}", p.Value)))
            .Where(p => !p.Value.TryGetProperty("title", out _) || !p.Value.TryGetProperty("description", out _))
            .Select(p => p.Where);

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void EveryObject_RefusesUnknownKeys(string file)
    {
        var open = ObjectSchemas(Load(file))
            .Where(s => !s.Schema.TryGetProperty("additionalProperties", out var a) || a.ValueKind is not JsonValueKind.False)
            .Select(s => s.Where);

        Assert.Empty(open);
    }

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("docs", "schema", file))).RootElement;

    // Every (sub)schema that declares properties, wherever it sits in the document.
    private static IEnumerable<(string Where, JsonElement Schema)> ObjectSchemas(JsonElement element, string where = "#")
    {
        if (element.ValueKind is JsonValueKind.Array)
        {
            return element.EnumerateArray().SelectMany((item, i) => ObjectSchemas(item, $"{where}/{i}"));
        }

        if (element.ValueKind is not JsonValueKind.Object)
        {
            return [];
        }

        var self = element.TryGetProperty("properties", out _) ? [(where, element)] : Array.Empty<(string, JsonElement)>();
        return self.Concat(element.EnumerateObject().SelectMany(p => ObjectSchemas(p.Value, $"{where}/{p.Name}")));
    }
}
