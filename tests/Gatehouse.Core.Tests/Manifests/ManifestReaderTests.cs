using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Manifests;

public sealed class ManifestReaderTests
{
    [Fact]
    public void ReadManifest_ValidFile_ReturnsEveryFieldWithPositions()
    {
        var result = Manifest(ValidManifest, Acme());

        Assert.Empty(result.Diagnostics);
        var manifest = Assert.IsType<AppManifest>(result.Value);
        Assert.Equal("gatehouse/v1", manifest.ApiVersion);
        Assert.Equal("billing", manifest.App);
        Assert.Equal(new SourceLocation("gatehouse.yaml", 2, 6), manifest.Location);
        Assert.Equal("Invoices and payments", manifest.Description);
        Assert.Equal([new OwnerRef(OwnerKind.Team, "payments"), new OwnerRef(OwnerKind.User, "alice")], manifest.Owners);
        Assert.Equal([new SourceLocation("gatehouse.yaml", 4, 10), new SourceLocation("gatehouse.yaml", 4, 25)], manifest.OwnerLocations);

        Assert.Equal(["invoices.read", "invoices.write", "invoices.export", "invoices.legacy"], manifest.Scopes.Select(s => s.Name));
        Assert.Equal(ApprovalMode.Owner, manifest.Scopes[0].Approval);
        Assert.Equal(ApprovalMode.TwoOwners, manifest.Scopes[1].Approval);
        Assert.Equal(new ScopeDeprecation("Use invoices.read instead", null), manifest.Scopes[2].Deprecation);
        Assert.Equal(new ScopeDeprecation("Replaced by invoices.read", "invoices.read"), manifest.Scopes[3].Deprecation);
        Assert.Equal(new SourceLocation("gatehouse.yaml", 6, 11), manifest.Scopes[0].Location);

        var need = Assert.Single(manifest.Needs);
        Assert.Equal("customers", need.App);
        Assert.Equal(["profile.read"], need.Scopes);
        Assert.Equal("Print the customer's name on each invoice", need.Reason);
        Assert.Equal(["staging", "production"], need.Environments!);
        Assert.Equal(new SourceLocation("gatehouse.yaml", 20, 10), need.Location);
        Assert.Equal([new SourceLocation("gatehouse.yaml", 21, 14)], need.ScopeLocations);
    }

    [Fact]
    public void ReadManifest_MinimalFile_DefaultsScopesAndNeedsToEmpty()
    {
        var result = Manifest("apiVersion: gatehouse/v1\napp: tiny\nowners: [user:alice]\n");

        var manifest = Assert.IsType<AppManifest>(result.Value);
        Assert.Empty(manifest.Scopes);
        Assert.Empty(manifest.Needs);
        Assert.Null(manifest.Description);
    }

    [Fact]
    public void ReadManifest_NeedWithoutEnvironments_AppliesToEveryEnvironment()
    {
        var result = Manifest("""
            apiVersion: gatehouse/v1
            app: tiny
            owners: [user:alice]
            needs:
              - app: customers
                scopes: [profile.read]
                reason: Show names
            """);

        var need = Assert.Single(result.Value!.Needs);
        Assert.Null(need.Environments);
        Assert.Equal(["dev", "prod"], need.EnvironmentsIn(["dev", "prod"]));
    }

    [Fact]
    public void ReadManifest_QuotedAndBlockStyles_ReadTheSameValues()
    {
        var result = Manifest("""
            "apiVersion": 'gatehouse/v1'
            app: "billing"
            description: >-
              Invoices
              and payments
            owners:
              - team:payments
            """);

        Assert.Equal("Invoices and payments", result.Value!.Description);
        Assert.Equal("billing", result.Value.App);
    }

    [Fact]
    public void ReadManifest_WithErrors_ReturnsNoValueButEveryFinding()
    {
        var result = Manifest("""
            apiVersion: gatehouse/v2
            app: Billing
            owners: []
            colour: blue
            """);

        Assert.Null(result.Value);
        Assert.True(result.HasErrors);
        Assert.Equal([DiagnosticCodes.ManifestApiVersion, DiagnosticCodes.InvalidAppName, DiagnosticCodes.ManifestEmptyList, DiagnosticCodes.ManifestUnknownKey],
            result.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void ReadOrganisation_ValidFile_ReturnsEnvironmentsTeamsAndAdmins()
    {
        var result = Organisation(ValidOrganisation);

        Assert.Empty(result.Diagnostics);
        var organisation = result.Value!;
        Assert.Equal("acme", organisation.Name);
        Assert.Equal(["alice", "bob"], organisation.Admins);
        Assert.Equal(["development", "staging", "production"], organisation.Environments.Select(e => e.Name));
        Assert.Equal([EnvironmentApproval.Auto, EnvironmentApproval.Scope, EnvironmentApproval.Owner],
            organisation.Environments.Select(e => e.Approval));
        Assert.Equal(["alice", "carol"], organisation.Teams[0].Members);
        Assert.Equal(new SourceLocation("gatehouse.org.yaml", 2, 15), organisation.Location);
    }
}
