using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>The example shows every approval mode and both deprecation forms, in a way that works.</summary>
public sealed class ExampleApprovalTests
{
    private static readonly List<(string App, JsonElement Scope)> Scopes =
        AcmeExample.Manifests.Values.SelectMany(m => m.Items("scopes").Select(s => (m.Text("app"), s))).ToList();

    private static string Approval(JsonElement scope) =>
        scope.TryGetProperty("approval", out var approval) ? approval.GetString()! : "owner";

    [Fact]
    public void Example_HasAutoOwnerAndTwoOwnersScopes() =>
        Assert.Equal(["auto", "owner", "two-owners"], Scopes.Select(s => Approval(s.Scope)).Distinct().Order());

    [Fact]
    public void TwoOwnersScopes_BelongToAppsWithAtLeastTwoIndividualOwners()
    {
        var apps = Scopes.Where(s => Approval(s.Scope) == "two-owners").Select(s => s.App).Distinct().ToList();

        Assert.NotEmpty(apps);
        Assert.All(apps, app => Assert.True(
            AcmeExample.Manifests[app].Strings("owners").Count(o => o.StartsWith("user:", StringComparison.Ordinal)) >= 2,
            $"{app} has a two-owners scope but fewer than two user owners"));
    }

    [Fact]
    public void Example_ShowsBothDeprecationFormsWithAReplacement()
    {
        var deprecations = Scopes.Where(s => s.Scope.TryGetProperty("deprecated", out _)).Select(s => s.Scope.GetProperty("deprecated")).ToList();

        Assert.Contains(deprecations, d => d.ValueKind == JsonValueKind.String);
        Assert.Contains(deprecations, d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("replacedBy", out _));
    }

    [Fact]
    public void Example_LimitsSomeNeedsToEnvironments() =>
        Assert.Contains(AcmeExample.Manifests.Values.SelectMany(m => m.Items("needs")), n => n.TryGetProperty("environments", out _));
}
