using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Manifests;

public sealed class WorkspaceValidatorTests
{
    private static AppManifest App(string file, string yaml)
    {
        var result = ManifestReader.ReadManifest(file, Bytes(yaml));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    private static readonly string Customers = """
        apiVersion: gatehouse/v1
        app: customers
        owners: [team:crm]
        scopes:
          - name: profile.read
          - name: profile.write
          - name: profile.legacy
            deprecated:
              message: Too broad
              replacedBy: profile.read
        """;

    private static string Consumer(string scopes, string app = "customers") => $"""
        apiVersion: gatehouse/v1
        app: billing
        owners: [team:payments]
        needs:
          - app: {app}
            scopes: {scopes}
            reason: Print names
        """;

    [Fact]
    public void Matching_needs_and_scopes_give_no_findings()
    {
        var diagnostics = WorkspaceValidator.Validate([App("c.yaml", Customers), App("b.yaml", Consumer("[profile.read]"))], Acme());

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void The_same_app_in_two_manifests_is_an_error_naming_both_files()
    {
        var diagnostics = WorkspaceValidator.Validate([App("a/gatehouse.yaml", Customers), App("b/gatehouse.yaml", Customers)], null);

        var finding = AssertOnly(diagnostics, DiagnosticCodes.DuplicateApp, "app 'customers' is declared in b/gatehouse.yaml and in a/gatehouse.yaml:2:6", 2, 6);
        Assert.Equal("b/gatehouse.yaml", finding.Location.File);
    }

    [Fact]
    public void A_need_of_a_scope_the_provider_does_not_declare_is_an_error_with_a_suggestion()
    {
        var diagnostics = WorkspaceValidator.Validate([App("c.yaml", Customers), App("b.yaml", Consumer("[profile.read, profile.reed]"))], null);

        var finding = AssertOnly(diagnostics, DiagnosticCodes.UndeclaredScope,
            "app 'customers' has no scope 'profile.reed' (it declares: profile.read, profile.write, profile.legacy); did you mean 'profile.read'?", 6, 28);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("b.yaml", finding.Location.File);
    }

    [Fact]
    public void A_need_of_an_app_not_among_the_files_is_a_warning()
    {
        var diagnostics = WorkspaceValidator.Validate([App("b.yaml", Consumer("[profile.read]", "ledger"))], null);

        var finding = AssertOnly(diagnostics, DiagnosticCodes.UnknownApp, "app 'ledger' is not among the manifests validated here; it may live in another repository", 5, 10);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void A_need_of_a_deprecated_scope_is_a_warning_with_its_message_and_replacement()
    {
        var diagnostics = WorkspaceValidator.Validate([App("c.yaml", Customers), App("b.yaml", Consumer("[profile.legacy]"))], null);

        var finding = AssertOnly(diagnostics, DiagnosticCodes.DeprecatedScopeNeeded,
            "scope customers:profile.legacy is deprecated: Too broad; use customers:profile.read instead", 6, 14);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void An_owner_team_the_organisation_does_not_define_is_an_error()
    {
        var manifest = App("b.yaml", "apiVersion: gatehouse/v1\napp: billing\nowners: [user:alice, team:paymnets]\n");

        var diagnostics = WorkspaceValidator.Validate([manifest], Acme());

        AssertOnly(diagnostics, DiagnosticCodes.UndefinedTeam,
            "team 'paymnets' is not defined in the organisation file (it defines: payments, crm); did you mean 'payments'?", 3, 22);
    }

    [Fact]
    public void Owner_teams_are_not_checked_without_an_organisation_file()
    {
        var manifest = App("b.yaml", "apiVersion: gatehouse/v1\napp: billing\nowners: [team:anything]\n");

        Assert.Empty(WorkspaceValidator.Validate([manifest], null));
    }
}
