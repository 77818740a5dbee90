using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>
/// Who may push which app: an admin any app; a deploy token only its own app, and never its
/// owners; a person an existing app she currently owns, or a new app that lists her among its
/// owners. The bootstrap token pushes no manifests: it files no requests.
/// </summary>
internal static class PushAuthorizer
{
    public static PlanOutcome? Check(Actor actor, IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        // The organisation exists by now (the planner refuses earlier otherwise): the bootstrap
        // token's work is done, and a push files requests that need a person behind them.
        if (actor.Kind == ActorKind.Bootstrap)
        {
            return PlanOutcome.Fail(StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted,
                "the bootstrap token only sets up the first admins and pushes no manifests once the organisation exists: " +
                "push them with an admin's personal token (create one with `gatehouse token create --user NAME` using the bootstrap token)");
        }

        if (OwnerRules.IsAdmin(actor, state.Organisation))
        {
            return null;
        }

        var refused = new List<string>();
        foreach (var manifest in uploads.Select(u => u.Manifest))
        {
            var allowed = actor.Kind switch
            {
                ActorKind.App => string.Equals(actor.Name, manifest.App, StringComparison.Ordinal),
                ActorKind.User => OwnerRules.OwnerUsers(OwnersThatDecide(manifest, state), state.Organisation).Contains(actor.Name, StringComparer.Ordinal),
                _ => false,
            };
            if (!allowed)
            {
                refused.Add(Explain(actor, manifest, state));
            }
        }

        if (refused.Count > 0)
        {
            return PlanOutcome.Fail(StoreErrorKind.Forbidden, StoreErrors.PushForbidden, string.Join("\n", refused));
        }

        return actor.Kind == ActorKind.App ? CheckOwnersUnchanged(uploads, state) : null;
    }

    /// <summary>
    /// A deploy token is a CI secret: if it leaks, it must not hand the app (and the data its
    /// scopes guard) to someone else. Changing who owns an app takes a person who owns it now.
    /// </summary>
    private static PlanOutcome? CheckOwnersUnchanged(IReadOnlyList<ManifestUpload> uploads, PushState state)
    {
        var refused = new List<string>();
        foreach (var manifest in uploads.Select(u => u.Manifest))
        {
            if (!state.Apps.TryGetValue(manifest.App, out var stored) || SameOwners(stored.Owners, manifest.Owners))
            {
                continue;
            }

            var owners = OwnerRules.OwnerUsers(stored.Owners, state.Organisation);
            refused.Add(
                $"the deploy token of {manifest.App} may not change its owners (from {string.Join(", ", stored.Owners)} to {string.Join(", ", manifest.Owners)}): " +
                $"push this change with the personal token of a current owner ({(owners.Count == 0 ? "nobody yet" : string.Join(", ", owners))}) or an admin");
        }

        return refused.Count == 0 ? null : PlanOutcome.Fail(StoreErrorKind.Forbidden, StoreErrors.OwnersChangeForbidden, string.Join("\n", refused));
    }

    // The same owners in another order are the same owners.
    private static bool SameOwners(IReadOnlyList<OwnerRef> stored, IReadOnlyList<OwnerRef> uploaded) =>
        stored.ToHashSet().SetEquals(uploaded);

    // An existing app is changed by its current owners, not by whoever the new text names.
    private static IReadOnlyList<OwnerRef> OwnersThatDecide(AppManifest manifest, PushState state) =>
        state.Apps.TryGetValue(manifest.App, out var stored) ? stored.Owners : manifest.Owners;

    private static string Explain(Actor actor, AppManifest manifest, PushState state) => actor.Kind switch
    {
        ActorKind.App => $"the deploy token of {actor.Name} may push only {actor.Name}, not {manifest.App}",
        ActorKind.User when state.Apps.ContainsKey(manifest.App) =>
            $"{actor.Name} is not an owner of {manifest.App}; only its current owners or an admin may push it",
        ActorKind.User => $"{actor.Name} is not among the owners {manifest.App} declares, so may not create it",
        _ => $"{actor} may not push manifests",
    };
}
