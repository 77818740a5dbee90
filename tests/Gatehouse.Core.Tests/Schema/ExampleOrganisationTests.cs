using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// Cross-file rules of the spec that a schema cannot express, checked on the example so that it
/// validates with no errors and no warnings. Each test lists every offender, not the first.
/// </summary>
public sealed class ExampleOrganisationTests
{
    private static readonly Dictionary<string, HashSet<string>> DeclaredScopes = AcmeExample.Manifests.Values.ToDictionary(
        m => m.Text("app"), m => m.Items("scopes").Select(s => s.Text("name")).ToHashSet());

    [Fact]
    public void Example_HasAtLeast28AppsEachInAFolderNamedAfterIt()
    {
        Assert.True(AcmeExample.Manifests.Count >= 28, $"{AcmeExample.Manifests.Count} apps");
        Assert.All(AcmeExample.Manifests, pair => Assert.Equal(pair.Key, pair.Value.Text("app")));
    }

    [Fact]
    public void EveryNeed_NamesAnotherAppOnceAndScopesThatAppDeclares()
    {
        var problems = new List<string>();
        foreach (var manifest in AcmeExample.Manifests.Values)
        {
            var app = manifest.Text("app");
            var providers = manifest.Items("needs").Select(n => n.Text("app")).ToList();
            problems.AddRange(providers.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{app}: two needs of {g.Key}"));
            problems.AddRange(providers.Where(p => p == app).Select(_ => $"{app}: needs itself"));
            foreach (var need in manifest.Items("needs"))
            {
                var provider = need.Text("app");
                problems.AddRange(need.Strings("scopes")
                    .Where(s => !DeclaredScopes.TryGetValue(provider, out var declared) || !declared.Contains(s))
                    .Select(s => $"{app}: needs {provider}:{s}, which is not declared"));
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryScopeName_IsUniqueWithinItsManifest() =>
        Assert.Empty(AcmeExample.Manifests.Values.SelectMany(m =>
            m.Items("scopes").GroupBy(s => s.Text("name")).Where(g => g.Count() > 1).Select(g => $"{m.Text("app")}:{g.Key}")));

    [Fact]
    public void EveryOwnerAndEnvironment_IsDefinedByTheOrganisationFile()
    {
        var org = AcmeExample.Organisation;
        var teams = org.Items("teams").Select(t => t.Text("name")).ToHashSet();
        var members = org.Items("teams").SelectMany(t => t.Strings("members")).ToHashSet();
        var environments = org.Items("environments").Select(e => e.Text("name")).ToHashSet();

        var problems = AcmeExample.Manifests.Values.SelectMany(m =>
            m.Strings("owners").Where(o => o.StartsWith("team:", StringComparison.Ordinal) ? !teams.Contains(o[5..]) : !members.Contains(o[5..]))
                .Select(o => $"{m.Text("app")}: owner {o} is not in the organisation file")
                .Concat(m.Items("needs").SelectMany(n => n.Strings("environments")).Where(e => !environments.Contains(e))
                    .Select(e => $"{m.Text("app")}: environment {e} is not defined")));

        Assert.Empty(problems);
    }

    [Fact]
    public void NoAppNeedsADeprecatedScope_AndEachReplacementIsALiveScopeOfTheSameApp()
    {
        var deprecated = AcmeExample.Manifests.Values.SelectMany(m => m.Items("scopes")
            .Where(s => s.TryGetProperty("deprecated", out _)).Select(s => (App: m.Text("app"), Scope: s))).ToList();
        var needed = AcmeExample.Manifests.Values.SelectMany(m => m.Items("needs"))
            .SelectMany(n => n.Strings("scopes").Select(s => $"{n.Text("app")}:{s}")).ToHashSet();

        Assert.DoesNotContain(deprecated, d => needed.Contains($"{d.App}:{d.Scope.Text("name")}"));
        foreach (var (app, scope) in deprecated)
        {
            var deprecation = scope.GetProperty("deprecated");
            if (deprecation.ValueKind is JsonValueKind.Object && deprecation.TryGetProperty("replacedBy", out var replacement))
            {
                var live = AcmeExample.Manifests[app].Items("scopes").Single(s => s.Text("name") == replacement.GetString());
                Assert.False(live.TryGetProperty("deprecated", out _), $"{app}:{replacement} is itself deprecated");
            }
        }
    }
}
