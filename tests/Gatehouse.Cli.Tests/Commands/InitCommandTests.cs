using Gatehouse.Core.Manifests;

namespace Gatehouse.Cli.Tests.Commands;

public sealed class InitCommandTests
{
    [Fact]
    public void Init_WithFlags_WritesAManifestThatValidates()
    {
        using var workspace = new Workspace(withApps: false);

        var result = CliRunner.Run(workspace.Path, "init", "--dir", "services/billing", "--app", "billing",
            "--owner", "team:payments", "--owner", "user:alice", "--description", "Invoices: it's where money is");

        Assert.Equal(0, result.ExitCode);
        var file = Path.Combine("services", "billing", "gatehouse.yaml");
        Assert.Equal($"Wrote {file}. Next: declare the scopes billing offers and the access it needs, then run 'gatehouse validate'.\n", result.Out);
        var text = workspace.Read(file);
        Assert.StartsWith("# yaml-language-server: $schema=https://gatehouse.dev/schema/gatehouse.v1.json\n", text);
        var manifest = ManifestReader.ReadManifest(file, File.ReadAllBytes(Path.Combine(workspace.Path, file)));
        Assert.Empty(manifest.Diagnostics);
        Assert.Equal("Invoices: it's where money is", manifest.Value!.Description);
        Assert.Equal(["team:payments", "user:alice"], manifest.Value.Owners.Select(o => o.ToString()));

        var validate = CliRunner.Run(workspace.Path, "validate");
        Assert.Equal(0, validate.ExitCode);
        Assert.Equal("2 files OK\n", validate.Out);
    }

    [Fact]
    public void Init_ExistingManifest_IsNotOverwrittenWithoutForce()
    {
        using var workspace = new Workspace(withApps: false);
        workspace.Write("gatehouse.yaml", "keep me");

        var refused = CliRunner.Run(workspace.Path, "init", "--app", "billing", "--owner", "team:payments");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("gatehouse: error: gatehouse.yaml already exists; use --force to overwrite it\n", refused.Error);
        Assert.Equal("keep me", workspace.Read("gatehouse.yaml"));

        var forced = CliRunner.Run(workspace.Path, "init", "--app", "billing", "--owner", "team:payments", "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("app: billing", workspace.Read("gatehouse.yaml"));
    }

    [Fact]
    public void Init_WithoutATerminal_RequiresFlagsAndNamesWhatIsMissing_Exits2()
    {
        using var workspace = new Workspace(withApps: false);

        var result = CliRunner.Run(workspace.Path, "init", "--owner", "team:payments");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: missing --app; init cannot ask because input is not a terminal\n", result.Error);
        Assert.False(File.Exists(Path.Combine(workspace.Path, "gatehouse.yaml")));
    }

    [Fact]
    public void Init_InATerminal_AsksForMissingValues_DefaultingTheAppToTheFolderName()
    {
        using var workspace = new Workspace(withApps: false);
        Directory.CreateDirectory(Path.Combine(workspace.Path, "order-history"));

        var result = CliRunner.RunInTerminal(workspace.Path, "\nteam:payments, user:bob\nPast orders\n", "init", "--dir", "order-history");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("App name [order-history]: ", result.Out);
        Assert.Contains("Owners, who approve access (e.g. team:payments, user:alice): ", result.Out);
        var text = workspace.Read(Path.Combine("order-history", "gatehouse.yaml"));
        Assert.Contains("app: order-history\ndescription: 'Past orders'\nowners: [team:payments, user:bob]\n", text);
    }

    [Fact]
    public void Init_InvalidFlagValues_AreUsageErrorsWithTheRule()
    {
        using var workspace = new Workspace(withApps: false);

        var result = CliRunner.Run(workspace.Path, "init", "--app", "Billing", "--owner", "payments");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("gatehouse: error: app name 'Billing' is invalid", result.Error);
        Assert.Contains("did you mean 'billing'?", result.Error);
        Assert.Contains("gatehouse: error: owner 'payments' is invalid", result.Error);
        Assert.False(File.Exists(Path.Combine(workspace.Path, "gatehouse.yaml")));
    }
}
