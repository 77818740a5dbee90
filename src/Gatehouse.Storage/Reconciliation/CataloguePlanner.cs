using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>The app and scope changes of one uploaded manifest against what is stored.</summary>
internal static class CataloguePlanner
{
    public static void Plan(ManifestUpload upload, PushState state, PlanBuilder plan)
    {
        var manifest = upload.Manifest;
        var app = manifest.App;
        if (!state.Apps.TryGetValue(app, out var stored))
        {
            plan.Add(new AddAppOperation(upload), ChangeKind.AddApp, app, $"app/{app}",
                $"add app {app} owned by {string.Join(", ", manifest.Owners)}");
            foreach (var scope in manifest.Scopes)
            {
                AddScope(app, scope, plan);
            }

            return;
        }

        var changed = AppChanges(upload, stored);
        if (changed.Count > 0)
        {
            plan.Add(new UpdateAppOperation(upload, string.Join(", ", changed)), ChangeKind.UpdateApp, app, $"app/{app}",
                $"update app {app}: {string.Join(", ", changed)} changed");
        }

        var storedScopes = state.Scopes.GetValueOrDefault(app) ?? new Dictionary<string, StoredScope>();
        foreach (var scope in manifest.Scopes)
        {
            if (storedScopes.TryGetValue(scope.Name, out var before))
            {
                ChangeScope(app, scope, before, plan);
            }
            else
            {
                AddScope(app, scope, plan);
            }
        }

        var declared = manifest.Scopes.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var removed in storedScopes.Values.Where(s => !declared.Contains(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            plan.RemovedScopes.Add((app, removed.Name));
            plan.Add(new RemoveScopeOperation(app, removed.Name), ChangeKind.RemoveScope, app, $"{app}:{removed.Name}",
                $"remove scope {app}:{removed.Name}");
        }
    }

    /// <summary>The scopes this upload removes, known before the rest of the state is loaded.</summary>
    public static IEnumerable<(string App, string Scope)> RemovedScopes(ManifestUpload upload, IReadOnlyDictionary<string, IReadOnlyDictionary<string, StoredScope>> scopes)
    {
        var declared = upload.Manifest.Scopes.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var stored = scopes.GetValueOrDefault(upload.Manifest.App);
        return stored is null ? [] : stored.Keys.Where(s => !declared.Contains(s)).Select(s => (upload.Manifest.App, s));
    }

    private static List<string> AppChanges(ManifestUpload upload, StoredApp stored)
    {
        var changed = new List<string>();
        if (!string.Equals(upload.Manifest.Description, stored.Description, StringComparison.Ordinal))
        {
            changed.Add("description");
        }

        if (!upload.Manifest.Owners.Select(o => o.ToString()).SequenceEqual(stored.Owners.Select(o => o.ToString()), StringComparer.Ordinal))
        {
            changed.Add("owners");
        }

        if (changed.Count == 0 && !string.Equals(upload.SourceText, stored.SourceText, StringComparison.Ordinal))
        {
            changed.Add("manifest text");
        }

        return changed;
    }

    private static void AddScope(string app, ScopeDeclaration scope, PlanBuilder plan)
    {
        var deprecated = scope.Deprecation is null ? "" : ", deprecated";
        plan.Add(new AddScopeOperation(app, scope), ChangeKind.AddScope, app, $"{app}:{scope.Name}",
            $"add scope {app}:{scope.Name} (approval: {Names.Of(scope.Approval)}{deprecated})");
    }

    private static void ChangeScope(string app, ScopeDeclaration scope, StoredScope before, PlanBuilder plan)
    {
        var changes = new List<string>();
        if (!string.Equals(scope.Description, before.Description, StringComparison.Ordinal))
        {
            changes.Add("description");
        }

        if (scope.Approval != before.Approval)
        {
            changes.Add($"approval {Names.Of(before.Approval)} -> {Names.Of(scope.Approval)}");
        }

        if (scope.MaxGrantDays != before.MaxGrantDays)
        {
            // Grants already approved keep their end; the new limit applies from the next approval (ADR 0023).
            changes.Add($"maxGrantDays {Days(before.MaxGrantDays)} -> {Days(scope.MaxGrantDays)}");
        }

        var deprecationAdded = scope.Deprecation is not null && before.Deprecation is null;
        if (scope.Deprecation is null && before.Deprecation is not null)
        {
            changes.Add("no longer deprecated");
        }
        else if (scope.Deprecation is not null && before.Deprecation is not null
            && (!string.Equals(scope.Deprecation.Message, before.Deprecation, StringComparison.Ordinal)
                || !string.Equals(scope.Deprecation.ReplacedBy, before.ReplacedBy, StringComparison.Ordinal)))
        {
            changes.Add("deprecation");
        }

        var subject = $"{app}:{scope.Name}";
        if (deprecationAdded)
        {
            var replaced = scope.Deprecation!.ReplacedBy is { } by ? $" (replaced by {app}:{by})" : "";
            var also = changes.Count > 0 ? $"; also {string.Join(", ", changes)}" : "";
            plan.Add(new ChangeScopeOperation(app, scope, true, "deprecated" + also), ChangeKind.DeprecateScope, app, subject,
                $"deprecate scope {subject}: {scope.Deprecation.Message}{replaced}{also}");
        }
        else if (changes.Count > 0)
        {
            plan.Add(new ChangeScopeOperation(app, scope, false, string.Join(", ", changes)), ChangeKind.ChangeScope, app, subject,
                $"change scope {subject}: {string.Join(", ", changes)}");
        }
    }

    private static string Days(int? days) => days is { } d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
}
