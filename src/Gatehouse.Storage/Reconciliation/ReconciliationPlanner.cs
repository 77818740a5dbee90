using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>
/// Computes everything a push changes, without I/O: the same plan is shown by <c>plan</c> and
/// executed by <c>push</c>. Either the whole push is valid and authorized, or nothing is done.
/// </summary>
internal static class ReconciliationPlanner
{
    public static IReadOnlyList<(string App, string Scope)> RemovedScopes(
        IReadOnlyList<ManifestUpload> uploads, IReadOnlyDictionary<string, IReadOnlyDictionary<string, StoredScope>> scopes) =>
        [.. uploads.SelectMany(u => CataloguePlanner.RemovedScopes(u, scopes))];

    public static PlanOutcome Plan(Actor actor, IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        if (PushAuthorizer.Check(actor, uploads, state) is { } refused)
        {
            return refused;
        }

        if (PushValidator.Validate(uploads, state) is { } invalid)
        {
            return invalid;
        }

        var plan = new PlanBuilder();
        foreach (var upload in uploads)
        {
            CataloguePlanner.Plan(upload, state, plan);
        }

        var approval = ScopeApprovals(uploads, state);
        var maxDays = ScopeMaxGrantDays(uploads, state);
        var keysByConsumer = state.ConsumerKeys.ToLookup(k => k.Key.Consumer, StringComparer.Ordinal);
        foreach (var upload in uploads)
        {
            RequestPlanner.Plan(upload.Manifest, state.Organisation, approval, maxDays, state.Now, [.. keysByConsumer[upload.Manifest.App]], plan);
        }

        return ScopeRemovals(state, plan) ?? plan.Build();
    }

    /// <summary>
    /// A scope with active grants is not removed silently: the push is refused unless this same
    /// push revokes them (its consumers dropped the need). Pending requests of it are withdrawn.
    /// </summary>
    private static PlanOutcome? ScopeRemovals(PushState state, PlanBuilder plan)
    {
        var inUse = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, history) in state.RemovedScopeKeys)
        {
            // A grant that has ended holds nothing up: it is honoured nowhere already.
            if (history.HasActiveGrant && !history.ActiveGrantEndedAt(state.Now) && !plan.RevokedGrants.Contains(history.ActiveGrantId!.Value))
            {
                inUse[key.ScopeName] = inUse.GetValueOrDefault(key.ScopeName) + 1;
            }

            if (history.HasPendingRequest)
            {
                plan.Supersede(history.LatestRequestId!.Value, key, "scope removed");
            }
        }

        if (inUse.Count == 0)
        {
            return null;
        }

        var problems = inUse.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"scope {s.Key} cannot be removed: it has {s.Value} active grant(s); deprecate it first (add `deprecated:`), then remove it once no app uses it"));
        return PlanOutcome.Fail(StoreErrorKind.Conflict, StoreErrors.ScopeInUse, string.Join("\n", problems));
    }

    /// <summary>The approval of a scope as it will be after this push: uploaded text first, then stored.</summary>
    private static Func<string, string, ApprovalMode> ScopeApprovals(IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        var uploaded = uploads.ToDictionary(u => u.Manifest.App, u => u.Manifest, StringComparer.Ordinal);
        return (app, scope) => uploaded.TryGetValue(app, out var manifest)
            ? manifest.Scopes.First(s => s.Name == scope).Approval
            : state.Scopes[app][scope].Approval;
    }

    /// <summary>A scope's <c>maxGrantDays</c> as it will be after this push: uploaded text first, then stored.</summary>
    private static Func<string, string, int?> ScopeMaxGrantDays(IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        var uploaded = uploads.ToDictionary(u => u.Manifest.App, u => u.Manifest, StringComparer.Ordinal);
        return (app, scope) => uploaded.TryGetValue(app, out var manifest)
            ? manifest.Scopes.First(s => s.Name == scope).MaxGrantDays
            : state.Scopes[app][scope].MaxGrantDays;
    }
}
