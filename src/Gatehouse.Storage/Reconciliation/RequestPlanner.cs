using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>
/// The request and grant changes of one consumer: its needs expanded to access keys, compared
/// with each key's latest request and grant (docs/adr/0005-grant-workflow.md).
/// </summary>
internal static class RequestPlanner
{
    public const string NeedRemoved = "need removed from manifest";
    public const string ReasonChanged = "reason changed";

    public static void Plan(
        AppManifest consumer,
        OrganisationFile organisation,
        Func<string, string, ApprovalMode> scopeApproval,
        IReadOnlyList<(AccessKey Key, KeyHistory History)> existing,
        PlanBuilder plan)
    {
        var desired = DesiredKeys(consumer, organisation, scopeApproval);
        var histories = existing.ToDictionary(e => e.Key, e => e.History);
        foreach (var (key, (reason, mode)) in desired)
        {
            Reconcile(key, reason, mode, histories.GetValueOrDefault(key), plan);
        }

        foreach (var (key, history) in existing.Where(e => !desired.ContainsKey(e.Key)))
        {
            if (history.HasPendingRequest)
            {
                plan.Supersede(history.LatestRequestId!.Value, key, NeedRemoved);
            }

            if (history.HasActiveGrant)
            {
                plan.Revoke(history.ActiveGrantId!.Value, key, NeedRemoved);
            }
        }
    }

    /// <summary>Every (scope, environment) the manifest needs, in manifest order, with its reason and approval.</summary>
    public static Dictionary<AccessKey, (string Reason, ApprovalMode Mode)> DesiredKeys(
        AppManifest consumer, OrganisationFile organisation, Func<string, string, ApprovalMode> scopeApproval)
    {
        var environments = organisation.Environments.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var desired = new Dictionary<AccessKey, (string, ApprovalMode)>();
        foreach (var need in consumer.Needs)
        {
            foreach (var scope in need.Scopes)
            {
                foreach (var environment in need.EnvironmentsIn(organisation.Environments.Select(e => e.Name)))
                {
                    var key = new AccessKey(consumer.App, need.App, scope, environment);
                    var mode = OrganisationFile.EffectiveApproval(scopeApproval(need.App, scope), environments[environment].Approval);
                    desired.TryAdd(key, (need.Reason, mode));
                }
            }
        }

        return desired;
    }

    private static void Reconcile(AccessKey key, string reason, ApprovalMode mode, KeyHistory history, PlanBuilder plan)
    {
        var activeGrant = history.ActiveGrantId;
        var grantHasReason = activeGrant is not null && string.Equals(history.ActiveGrantReason, reason, StringComparison.Ordinal);

        // An approval applies only to the text approved: a pending request with another reason
        // is withdrawn, and a new one filed unless the active grant already has this reason.
        if (history.HasPendingRequest)
        {
            if (string.Equals(history.LatestRequestReason, reason, StringComparison.Ordinal))
            {
                return;
            }

            plan.Supersede(history.LatestRequestId!.Value, key, ReasonChanged);
            if (!grantHasReason)
            {
                plan.File(key, reason, mode, activeGrant);
            }

            return;
        }

        if (activeGrant is not null)
        {
            // The grant stays until the new request is decided.
            if (!grantHasReason)
            {
                plan.File(key, reason, mode, activeGrant);
            }

            return;
        }

        // Denied, or granted then revoked: the same text is not asked again; a new reason is.
        var decidedAgainst = history.LatestRequestState is RequestState.Denied or RequestState.Approved;
        if (decidedAgainst && string.Equals(history.LatestRequestReason, reason, StringComparison.Ordinal))
        {
            return;
        }

        plan.File(key, reason, mode, null);
    }
}
