namespace Gatehouse.Core.Tests.Schema;

/// <summary>The example organisation is what people copy: it must satisfy the published schemas.</summary>
public sealed class ExampleSchemaTests
{
    public static TheoryData<string> ExampleFiles() => AcmeExample.AllFiles();

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleFile_SatisfiesItsSchema(string relativePath)
    {
        var path = RepositoryPaths.Combine(relativePath);

        var errors = GatehouseSchemas.For(path).Evaluate(YamlToJson.Load(path));

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleFile_FirstLinePointsEditorsAtItsSchema(string relativePath)
    {
        const string modeline = "# yaml-language-server: $schema=";
        var path = RepositoryPaths.Combine(relativePath);
        var firstLine = File.ReadLines(path).First();
        var expected = Path.GetFileName(path) == "gatehouse.org.yaml" ? "gatehouse-org.v1.json" : "gatehouse.v1.json";

        Assert.StartsWith(modeline, firstLine, StringComparison.Ordinal);
        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, firstLine[modeline.Length..]));
        Assert.Equal(RepositoryPaths.Combine("docs", "schema", expected), target);
    }
}
