using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Organisations;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Manifests;

/// <summary>
/// The rules that need more than one file: each app declared once, needs that match the
/// providers' scopes, and owner teams that the organisation file defines.
/// </summary>
public static class WorkspaceValidator
{
    /// <summary>Checks valid manifests against each other and the organisation file (when there is one).</summary>
    public static IReadOnlyList<Diagnostic> Validate(IReadOnlyList<AppManifest> manifests, OrganisationFile? organisation) =>
        Validate(manifests, organisation, appsWithErrors: new HashSet<string>());

    /// <param name="appsWithErrors">Apps whose manifest was found but has errors: needs of them are not checked
    /// (their errors are reported already) rather than warned about as apps that live elsewhere.</param>
    internal static IReadOnlyList<Diagnostic> Validate(IReadOnlyList<AppManifest> manifests, OrganisationFile? organisation, IReadOnlySet<string> appsWithErrors)
    {
        var diagnostics = new List<Diagnostic>();
        var apps = new Dictionary<string, ProviderIndex>(manifests.Count, StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            if (apps.TryGetValue(manifest.App, out var first))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateApp, manifest.Location,
                    $"app '{manifest.App}' is declared in {manifest.Location.File} and in {first.Manifest.Location}; each app has exactly one manifest"));
                continue;
            }

            apps.Add(manifest.App, new ProviderIndex(manifest));
        }

        var teams = organisation?.Teams.Select(t => t.Name).ToList();
        var teamSet = teams?.ToHashSet(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            foreach (var need in manifest.Needs)
            {
                CheckNeed(need, apps, appsWithErrors, diagnostics);
            }

            if (teams is not null && teamSet is not null)
            {
                CheckOwnerTeams(manifest, teams, teamSet, diagnostics);
            }
        }

        diagnostics.Sort(DiagnosticOrder.Instance);
        return diagnostics;
    }

    private static void CheckNeed(NeedDeclaration need, Dictionary<string, ProviderIndex> apps, IReadOnlySet<string> appsWithErrors, List<Diagnostic> diagnostics)
    {
        if (!apps.TryGetValue(need.App, out var provider))
        {
            if (appsWithErrors.Contains(need.App))
            {
                return;
            }

            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownApp, need.Location,
                $"app '{need.App}' is not among the manifests validated here; it may live in another repository (the server checks it on push)"));
            return;
        }

        for (var i = 0; i < need.Scopes.Count; i++)
        {
            var name = need.Scopes[i];
            var at = i < need.ScopeLocations.Count ? need.ScopeLocations[i] : need.Location;
            if (provider.Find(name) is not { } scope)
            {
                var declared = provider.Manifest.Scopes.Select(s => s.Name).ToList();
                var known = declared.Count == 0 ? "it declares no scopes" : $"it declares: {string.Join(", ", declared.Take(10))}{(declared.Count > 10 ? ", ..." : "")}";
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UndeclaredScope, at,
                    $"app '{need.App}' has no scope '{name}' ({known}){Suggestions.DidYouMean(name, declared)}"));
            }
            else if (scope.Deprecation is { } deprecation)
            {
                var replacement = deprecation.ReplacedBy is { } by ? $"; use {need.App}:{by} instead" : "";
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.DeprecatedScopeNeeded, at,
                    $"scope {need.App}:{name} is deprecated: {deprecation.Message}{replacement}"));
            }
        }
    }

    private static void CheckOwnerTeams(AppManifest manifest, List<string> teams, HashSet<string> teamSet, List<Diagnostic> diagnostics)
    {
        for (var i = 0; i < manifest.Owners.Count; i++)
        {
            var owner = manifest.Owners[i];
            if (owner.Kind != OwnerKind.Team || teamSet.Contains(owner.Name))
            {
                continue;
            }

            var at = i < manifest.OwnerLocations.Count ? manifest.OwnerLocations[i] : manifest.Location;
            var defined = teams.Count == 0 ? "it defines no teams" : $"it defines: {string.Join(", ", teams)}";
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UndefinedTeam, at,
                $"team '{owner.Name}' is not defined in the organisation file ({defined}){Suggestions.DidYouMean(owner.Name, teams)}"));
        }
    }

    // A provider's scopes by name, indexed on first use: most apps are needed by few others.
    private sealed class ProviderIndex(AppManifest manifest)
    {
        private Dictionary<string, ScopeDeclaration>? scopes;

        public AppManifest Manifest { get; } = manifest;

        public ScopeDeclaration? Find(string name)
        {
            if (scopes is null)
            {
                scopes = new Dictionary<string, ScopeDeclaration>(Manifest.Scopes.Count, StringComparer.Ordinal);
                foreach (var scope in Manifest.Scopes)
                {
                    scopes.TryAdd(scope.Name, scope);
                }
            }

            return scopes.GetValueOrDefault(name);
        }
    }
}
