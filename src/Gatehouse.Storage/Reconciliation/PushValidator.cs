using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>
/// What a push needs beyond a valid manifest: each app once, environments the organisation
/// defines, and needed scopes declared by an app that is pushed (or pushed in the same upload).
/// Reports every problem at once.
/// </summary>
internal static class PushValidator
{
    public static PlanOutcome? Validate(IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        var problems = new List<(string Code, string Message)>();
        foreach (var duplicate in uploads.GroupBy(u => u.Manifest.App, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add((StoreErrors.DuplicateApp, $"app {duplicate.Key} is uploaded {duplicate.Count()} times; push each app once"));
        }

        var uploaded = uploads.GroupBy(u => u.Manifest.App, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Manifest, StringComparer.Ordinal);
        var environments = state.Organisation.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var manifest in uploaded.Values)
        {
            foreach (var need in manifest.Needs)
            {
                foreach (var environment in (need.Environments ?? []).Where(e => !environments.Contains(e)))
                {
                    problems.Add((StoreErrors.UnknownEnvironment,
                        $"{manifest.App} needs {need.App} in environment {environment}, which the organisation file does not define ({string.Join(", ", environments)})"));
                }

                foreach (var scope in need.Scopes.Where(s => !IsDeclared(need.App, s, uploaded, state)))
                {
                    problems.Add((StoreErrors.UnknownScope, Undeclared(manifest.App, need.App, scope, uploaded, state)));
                }
            }
        }

        return problems.Count == 0
            ? null
            : PlanOutcome.Fail(StoreErrorKind.Invalid, problems[0].Code, string.Join("\n", problems.Select(p => p.Message)));
    }

    private static bool IsDeclared(string app, string scope, Dictionary<string, AppManifest> uploaded, PushState state) =>
        uploaded.TryGetValue(app, out var manifest)
            ? manifest.Scopes.Any(s => s.Name == scope)
            : state.Scopes.TryGetValue(app, out var stored) && stored.ContainsKey(scope);

    private static string Undeclared(string consumer, string provider, string scope, Dictionary<string, AppManifest> uploaded, PushState state) =>
        uploaded.ContainsKey(provider) || state.Scopes.ContainsKey(provider)
            ? $"{consumer} needs {provider}:{scope}, but {provider} does not declare scope {scope}"
            : $"{consumer} needs {provider}:{scope}, but {provider} has not been pushed (or declares no scopes): push {provider} first";
}
