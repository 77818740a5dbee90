using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Workspaces;

public sealed class ManifestWorkspaceTests
{
    private static string App(string name, string needs = "") =>
        $"apiVersion: gatehouse/v1\napp: {name}\nowners: [team:payments]\nscopes:\n  - name: data.read\n    description: Read the data\n{needs}";

    private static string Needs(string app, string environments = "") =>
        $"needs:\n  - app: {app}\n    scopes: [data.read]\n    reason: Because\n{environments}";

    [Fact]
    public void Load_Directory_FindsManifestsRecursivelyAndSkipsBuildAndVendorFolders()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("services/billing/gatehouse.yaml", App("billing", Needs("customers")));
        dir.Write("services/customers/gatehouse.yaml", App("customers"));
        foreach (var skipped in new[] { ".git", "node_modules", "bin", "obj" })
        {
            dir.Write($"services/billing/{skipped}/gatehouse.yaml", "not: [valid");
        }

        var workspace = ManifestWorkspace.Load(["."], dir.Path, keepSources: true);

        Assert.Empty(workspace.Diagnostics);
        Assert.Equal(3, workspace.FileCount);
        Assert.Equal(["billing", "customers"], workspace.Manifests.Select(m => m.App));
        Assert.Equal("acme", workspace.Organisation!.Name);
        Assert.Equal("gatehouse.org.yaml", workspace.OrganisationPath);
        Assert.Equal(ValidOrganisation, workspace.OrganisationSource);
        Assert.Equal([Path.Combine("services", "billing", "gatehouse.yaml"), Path.Combine("services", "customers", "gatehouse.yaml")],
            workspace.ManifestSources.Keys.Order());
        Assert.Equal(App("customers"), workspace.ManifestSources[Path.Combine("services", "customers", "gatehouse.yaml")]);
    }

    [Fact]
    public void Load_ByDefault_ValidatesWithoutKeepingTheText()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("services/customers/gatehouse.yaml", App("customers"));

        var workspace = ManifestWorkspace.Load(["."], dir.Path);

        Assert.Equal(["customers"], workspace.Manifests.Select(m => m.App));
        Assert.Empty(workspace.ManifestSources);
    }

    [Fact]
    public void Load_ReportsEveryFileAndCrossFileProblem_SortedByFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("b/gatehouse.yaml", App("billing", Needs("customers", "    environments: [prod]\n")));
        dir.Write("a/gatehouse.yaml", App("Billing"));
        dir.Write("c/gatehouse.yaml", App("customers").Replace("team:payments", "team:nobody"));
        dir.Write("d/gatehouse.yaml", App("customers"));

        var workspace = ManifestWorkspace.Load([dir.Path], dir.Path);

        Assert.Equal(
            [
                $"{Path.Combine("a", "gatehouse.yaml")}:2:6 {DiagnosticCodes.InvalidAppName}",
                $"{Path.Combine("b", "gatehouse.yaml")}:11:20 {DiagnosticCodes.UndefinedEnvironment}",
                $"{Path.Combine("c", "gatehouse.yaml")}:3:10 {DiagnosticCodes.UndefinedTeam}",
                $"{Path.Combine("d", "gatehouse.yaml")}:2:6 {DiagnosticCodes.DuplicateApp}",
            ],
            workspace.Diagnostics.Select(d => $"{d.Location} {d.Code}"));
        Assert.Equal(4, workspace.ErrorCount);
        Assert.Equal(5, workspace.FileCount);
    }

    [Fact]
    public void Load_NeedOfAnAppWhoseManifestHasErrors_IsNotWarnedAboutAsLivingElsewhere()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("a/gatehouse.yaml", App("billing", Needs("customers")));
        dir.Write("b/gatehouse.yaml", App("customers").Replace("owners: [team:payments]", "owners: []"));

        var workspace = ManifestWorkspace.Load(["."], dir.Path);

        AssertOnly(workspace.Diagnostics, DiagnosticCodes.ManifestEmptyList, "owners is empty", 3, 9);
    }

    [Fact]
    public void Load_WithoutOrganisationAmongThePaths_UsesTheNearestOneInAParentFolder()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("services/billing/gatehouse.yaml", App("billing", Needs("customers", "    environments: [qa]\n")));

        var workspace = ManifestWorkspace.Load(["services/billing"], dir.Path);

        Assert.Equal("gatehouse.org.yaml", workspace.OrganisationPath);
        AssertFinding(workspace.Diagnostics, DiagnosticCodes.UndefinedEnvironment, "environment 'qa' is not defined", 11, 20);
    }

    [Fact]
    public void Load_WithoutAnyOrganisationFile_WarnsOnceAndSkipsEnvironmentChecks()
    {
        using var dir = new TempDirectory();
        dir.Write("x/gatehouse.yaml", App("billing", Needs("customers", "    environments: [qa]\n")));

        var workspace = ManifestWorkspace.Load(["x/gatehouse.yaml"], dir.Path);

        Assert.Null(workspace.Organisation);
        Assert.Equal([DiagnosticCodes.UnknownApp, DiagnosticCodes.NoOrganisationFile], workspace.Diagnostics.Select(d => d.Code).Order());
        AssertFinding(workspace.Diagnostics, DiagnosticCodes.NoOrganisationFile, "environment names and owner teams are not checked", 0, 0);
        Assert.False(workspace.HasErrors);
        Assert.Equal(2, workspace.WarningCount);
    }

    [Fact]
    public void Load_AFileNamedOtherwise_IsReadAsAManifest()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        dir.Write("custom-name.yaml", App("billing"));

        var workspace = ManifestWorkspace.Load(["custom-name.yaml", "gatehouse.org.yaml"], dir.Path);

        Assert.Empty(workspace.Diagnostics);
        Assert.Equal("billing", Assert.Single(workspace.Manifests).App);
    }

    [Fact]
    public void Load_MissingPathAndEmptyFolder_AreErrors()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));

        var workspace = ManifestWorkspace.Load(["nope", "empty"], dir.Path);

        AssertFinding(workspace.Diagnostics, DiagnosticCodes.FileUnreadable, "path 'nope' does not exist", 0, 0);
        AssertFinding(workspace.Diagnostics, DiagnosticCodes.NoFilesFound, "no gatehouse.yaml or gatehouse.org.yaml found under 'empty'", 0, 0);
    }

    [Fact]
    public void Load_TwoOrganisationFiles_IsAnErrorAtTheSecond()
    {
        using var dir = new TempDirectory();
        dir.Write("a/gatehouse.org.yaml", ValidOrganisation);
        dir.Write("b/gatehouse.org.yaml", ValidOrganisation);
        dir.Write("a/gatehouse.yaml", App("billing"));

        var workspace = ManifestWorkspace.Load(["."], dir.Path);

        var finding = AssertOnly(workspace.Diagnostics, DiagnosticCodes.SeveralOrganisationFiles, "more than one organisation file", 0, 0);
        Assert.Equal(Path.Combine("b", "gatehouse.org.yaml"), finding.Location.File);
    }

    [Fact]
    public void Load_AFileOverTheLimit_IsRefusedWithoutReadingIt()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        using (var stream = File.Create(Path.Combine(dir.Path, "gatehouse.yaml")))
        {
            stream.SetLength(5L * 1024 * 1024);
        }

        var workspace = ManifestWorkspace.Load(["."], dir.Path);

        AssertOnly(workspace.Diagnostics, DiagnosticCodes.FileTooLarge, "5,242,880 bytes", 0, 0);
    }

    [Fact]
    public void Load_ManyFilesInParallel_GivesTheSameOrderedResultEveryTime()
    {
        using var dir = new TempDirectory();
        dir.Write("gatehouse.org.yaml", ValidOrganisation);
        for (var i = 0; i < 200; i++)
        {
            dir.Write($"s{i:D3}/gatehouse.yaml", i % 7 == 0 ? App($"app-{i}", Needs("missing-app")) : App($"app-{i}"));
        }

        var first = ManifestWorkspace.Load(["."], dir.Path);
        var second = ManifestWorkspace.Load(["."], dir.Path);

        Assert.Equal(200, first.Manifests.Count);
        Assert.Equal(first.Manifests.Select(m => m.App), second.Manifests.Select(m => m.App));
        Assert.Equal(first.Diagnostics, second.Diagnostics);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"app-{i}"), first.Manifests.Select(m => m.App));
    }
}
