using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

public sealed class YamlToJsonTests
{
    [Theory]
    [InlineData("v: abc", JsonValueKind.String)]
    [InlineData("v: 'true'", JsonValueKind.String)]
    [InlineData("v: \"42\"", JsonValueKind.String)]
    [InlineData("v: true", JsonValueKind.True)]
    [InlineData("v: 42", JsonValueKind.Number)]
    [InlineData("v: -1.5e3", JsonValueKind.Number)]
    [InlineData("v: 0x1F", JsonValueKind.Number)]
    [InlineData("v:", JsonValueKind.Null)]
    [InlineData("v: ~", JsonValueKind.Null)]
    [InlineData("v: yes", JsonValueKind.String)] // YAML 1.2: only true/false are booleans
    [InlineData("v: gatehouse/v1", JsonValueKind.String)]
    public void PlainScalars_AreTypedLikeAnEditorTypesThem(string yaml, JsonValueKind expected) =>
        Assert.Equal(expected, YamlToJson.Convert(yaml).GetProperty("v").ValueKind);

    [Fact]
    public void MappingsAndSequences_BecomeObjectsAndArrays()
    {
        var json = YamlToJson.Convert("owners: [team:payments]\nneeds:\n  - app: customers\n    scopes: [profile.read]\n");

        Assert.Equal("""{"owners":["team:payments"],"needs":[{"app":"customers","scopes":["profile.read"]}]}""", json.GetRawText());
    }

    [Fact]
    public void SeveralDocuments_AreRefused() =>
        Assert.Throws<InvalidOperationException>(() => YamlToJson.Convert("a: 1\n---\nb: 2\n"));
}
