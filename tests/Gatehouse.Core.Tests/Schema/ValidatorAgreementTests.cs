using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// The published JSON Schemas and the validator agree: what the schema accepts the validator
/// accepts, what it rejects the validator rejects, and the example organisation passes both.
/// </summary>
public sealed class ValidatorAgreementTests
{
    private static readonly string CasesFolder = RepositoryPaths.Combine("tests", "Gatehouse.Core.Tests", "Schema", "Cases");

    public static TheoryData<string> ValidCases() => new(Names("valid"));

    public static TheoryData<string> InvalidCases() => new(Names("invalid"));

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void CaseTheSchemaAccepts_TheValidatorAccepts(string name)
    {
        var diagnostics = Read(Path.Combine(CasesFolder, "valid", name));

        Assert.DoesNotContain(diagnostics, d => d.Severity == Severity.Error);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void CaseTheSchemaRejects_TheValidatorRejects_AtAPosition(string name)
    {
        var diagnostics = Read(Path.Combine(CasesFolder, "invalid", name));

        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Location.Line > 2, $"{e} should point into the case, below its two header lines"));
    }

    [Fact]
    public void ExampleOrganisation_ValidatesWithoutAnyFinding()
    {
        var workspace = ManifestWorkspace.Load([RepositoryPaths.Combine("examples", "acme")]);

        Assert.Empty(workspace.Diagnostics);
        Assert.True(workspace.Manifests.Count >= 25);
        Assert.NotNull(workspace.Organisation);
    }

    private static IReadOnlyList<Diagnostic> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Path.GetFileName(path).StartsWith("org-", StringComparison.Ordinal)
            ? ManifestReader.ReadOrganisation(path, bytes).Diagnostics
            : ManifestReader.ReadManifest(path, bytes).Diagnostics;
    }

    private static List<string> Names(string kind) =>
        Directory.GetFiles(Path.Combine(CasesFolder, kind), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
}
