using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>The test-only evaluator must itself be right, or the schema tests prove nothing.</summary>
public sealed class SchemaEvaluatorTests
{
    private static IReadOnlyList<SchemaError> Errors(string schema, string instance)
    {
        using var document = JsonDocument.Parse(instance);
        return SchemaEvaluator.Parse(schema).Evaluate(document.RootElement);
    }

    [Theory]
    [InlineData("""{"type":"string"}""", "\"x\"", true)]
    [InlineData("""{"type":"string"}""", "1", false)]
    [InlineData("""{"type":"integer"}""", "3", true)]
    [InlineData("""{"type":"integer"}""", "3.5", false)]
    [InlineData("""{"type":["array","null"]}""", "null", true)]
    [InlineData("""{"type":"object"}""", "[]", false)]
    [InlineData("""{"enum":["owner","auto"]}""", "\"auto\"", true)]
    [InlineData("""{"enum":["owner","auto"]}""", "\"admin\"", false)]
    [InlineData("""{"const":"gatehouse/v1"}""", "\"gatehouse/v2\"", false)]
    [InlineData("""{"minLength":2,"maxLength":3}""", "\"ab\"", true)]
    [InlineData("""{"minLength":2}""", "\"a\"", false)]
    [InlineData("""{"maxLength":3}""", "\"abcd\"", false)]
    [InlineData("""{"maxLength":1}""", "\"\uD83D\uDE00\"", true)] // one code point, two UTF-16 units
    [InlineData("""{"minItems":1}""", "[]", false)]
    [InlineData("""{"maxItems":1}""", "[1,2]", false)]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1},{"a":2}]""", true)]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1},{"a":1}]""", false)]
    [InlineData("""{"minLength":5}""", "42", true)] // string keywords ignore other types
    public void Keyword_AcceptsOrRejects(string schema, string instance, bool valid) =>
        Assert.Equal(valid, Errors(schema, instance).Count == 0);

    [Theory]
    [InlineData("a", true)]
    [InlineData("a\n", false)] // ECMA-262 '$' is the end of input; .NET's would accept the newline
    [InlineData("xa", false)]
    public void Pattern_IsAnchoredLikeEcmaScript(string value, bool valid) =>
        Assert.Equal(valid, Errors("""{"pattern":"^a$"}""", JsonSerializer.Serialize(value)).Count == 0);

    [Fact]
    public void Pattern_LookaheadAndCharacterClassDollarAreKept()
    {
        Assert.Empty(Errors("""{"pattern":"^(?=.{2,3}$)[a$]+$"}""", "\"a$\""));
        Assert.NotEmpty(Errors("""{"pattern":"^(?=.{2,3}$)[a$]+$"}""", "\"a$aa\""));
    }

    [Fact]
    public void Object_ReportsMissingAndUnknownKeysAtTheirOwnPath()
    {
        const string schema = """{"type":"object","required":["app"],"additionalProperties":false,"properties":{"app":{"type":"string"}}}""";

        var errors = Errors(schema, """{"ap":"billing"}""");

        Assert.Equal(["/ap: unknown key 'ap'", "/app: required key 'app' is missing"], errors.Select(e => e.ToString()).Order());
    }

    [Fact]
    public void Ref_ResolvesDefsAndReportsNestedPaths()
    {
        const string schema = """{"properties":{"needs":{"items":{"$ref":"#/$defs/need"}}},"$defs":{"need":{"properties":{"reason":{"type":"string","pattern":"\\S"}}}}}""";

        var errors = Errors(schema, """{"needs":[{"reason":"ok"},{"reason":"  "}]}""");

        Assert.Equal("/needs/1/reason", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData("\"text\"", true)]
    [InlineData("""{"message":"m"}""", true)]
    [InlineData("[]", false)]
    public void OneOf_AcceptsExactlyOneMatchingForm(string instance, bool valid) =>
        Assert.Equal(valid, Errors("""{"oneOf":[{"type":"string"},{"type":"object","required":["message"]}]}""", instance).Count == 0);

    [Fact]
    public void OneOf_RejectsAValueMatchingBothForms() =>
        Assert.NotEmpty(Errors("""{"oneOf":[{"type":"string"},{"minLength":1}]}""", "\"x\""));

    [Fact]
    public void AnyOf_AcceptsAValueMatchingBothForms() =>
        Assert.Empty(Errors("""{"anyOf":[{"type":"string"},{"minLength":1}]}""", "\"x\""));

    [Theory]
    [InlineData("""{"minimum":1}""")]
    [InlineData("""{"$ref":"other.json#/$defs/x"}""")]
    public void UnsupportedSchema_Throws(string schema) =>
        Assert.Throws<NotSupportedException>(() => Errors(schema, "1"));
}
