namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// The schemas accept every case in Cases/valid and reject every case in Cases/invalid for the
/// rule the case is named after: all errors sit at the JSON Pointer on its "# path:" line.
/// </summary>
public sealed class SchemaCaseTests
{
    private static readonly string CasesFolder = RepositoryPaths.Combine("tests", "Gatehouse.Core.Tests", "Schema", "Cases");

    public static TheoryData<string> ValidCases() => new(CaseNames("valid"));

    public static TheoryData<string> InvalidCases() => new(CaseNames("invalid"));

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void ValidCase_IsAccepted(string name)
    {
        var path = Path.Combine(CasesFolder, "valid", name);

        var errors = GatehouseSchemas.For(path).Evaluate(YamlToJson.Load(path));

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidCase_IsRejectedAtTheKeyItNames(string name)
    {
        var path = Path.Combine(CasesFolder, "invalid", name);
        var header = File.ReadLines(path).Take(2).ToArray();
        Assert.StartsWith("# rule: ", header[0], StringComparison.Ordinal);
        Assert.StartsWith("# path: ", header[1], StringComparison.Ordinal);

        var errors = GatehouseSchemas.For(path).Evaluate(YamlToJson.Load(path));

        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Equal(header[1]["# path: ".Length..], error.Path));
    }

    [Fact]
    public void Cases_CoverManifestsAndOrganisationFiles()
    {
        Assert.True(CaseNames("invalid").Count >= 25, "expected one invalid case per schema rule");
        Assert.Contains(CaseNames("valid"), name => name.StartsWith("org-", StringComparison.Ordinal));
        Assert.Contains(CaseNames("invalid"), name => name.StartsWith("org-", StringComparison.Ordinal));
    }

    private static List<string> CaseNames(string kind) =>
        Directory.GetFiles(Path.Combine(CasesFolder, kind), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
}
