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

    /// <param name="scopeMaxDays">A scope's <c>maxGrantDays</c> as it will be after this push.</param>
    /// <param name="now">The push's time: grants made at once start here; a grant that ended before it is renewed.</param>
    public static void Plan(
        AppManifest consumer,
        OrganisationFile organisation,
        Func<string, string, ApprovalMode> scopeApproval,
        Func<string, string, int?> scopeMaxDays,
        DateTimeOffset now,
        IReadOnlyList<(AccessKey Key, KeyHistory History)> existing,
        PlanBuilder plan)
    {
        var desired = DesiredKeys(consumer, organisation, scopeApproval, now);
        var histories = existing.ToDictionary(e => e.Key, e => e.History);
        var environmentDays = organisation.Environments.ToDictionary(e => e.Name, e => e.MaxGrantDays, StringComparer.Ordinal);
        var untils = consumer.Needs.ToDictionary(n => n.App, n => n.Until, StringComparer.Ordinal);
        foreach (var (key, (reason, mode)) in desired)
        {
            var end = GrantLifetime.End(now, scopeMaxDays(key.Provider, key.Scope), environmentDays[key.Environment], untils[key.Provider]);
            Reconcile(key, reason, mode, end, histories.GetValueOrDefault(key), now, plan);
        }

        foreach (var (key, history) in existing.Where(e => !desired.ContainsKey(e.Key)))
        {
            if (history.HasPendingRequest)
            {
                plan.Supersede(history.LatestRequestId!.Value, key, NeedRemoved);
            }

            // An ended grant is left as it is: it expired, nothing is revoked.
            if (history.HasActiveGrant && !history.ActiveGrantEndedAt(now))
            {
                plan.Revoke(history.ActiveGrantId!.Value, key, NeedRemoved);
            }
        }
    }

    /// <summary>Every (scope, environment) the manifest needs, in manifest order, with its reason and approval.</summary>
    public static Dictionary<AccessKey, (string Reason, ApprovalMode Mode)> DesiredKeys(
        AppManifest consumer, OrganisationFile organisation, Func<string, string, ApprovalMode> scopeApproval, DateTimeOffset now)
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
                    var mode = OrganisationFile.EffectiveApproval(scopeApproval(need.App, scope), environments[environment], now);
                    desired.TryAdd(key, (need.Reason, mode));
                }
            }
        }

        return desired;
    }

    /// <param name="end">When a grant approved now would end; it is the end of a grant made at once (auto).</param>
    private static void Reconcile(AccessKey key, string reason, ApprovalMode mode, DateTimeOffset? end, KeyHistory history, DateTimeOffset now, PlanBuilder plan)
    {
        var autoEnd = mode == ApprovalMode.Auto ? end : null;

        // A need whose until has passed asks for nothing new: a grant would be over before it began.
        if (end is { } over && over <= now)
        {
            return;
        }
        // A grant whose end has passed counts as none: the need is asked again (renewal), and the
        // new grant takes the ended one's place (ADR 0023).
        var ended = history.ActiveGrantEndedAt(now);
        var activeGrant = ended ? null : history.ActiveGrantId;
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
                plan.File(key, reason, mode, history.ActiveGrantId, ended, autoEnd);
            }

            return;
        }

        if (activeGrant is not null)
        {
            // The grant stays until the new request is decided. A grant ending soon is renewed the
            // same way, when a new approval would make it last longer (an 'until' would not).
            if (!grantHasReason || (GrantLifetime.EndsSoon(history.ActiveGrantExpiresAt, now) && (end is null || end > history.ActiveGrantExpiresAt)))
            {
                plan.File(key, reason, mode, activeGrant, expiresAt: autoEnd);
            }

            return;
        }

        // A renewal that was denied is not asked again with the same text, like any denial.
        var renewalDenied = history.LatestRequestState == RequestState.Denied && history.LatestRequestId != history.ActiveGrantRequestId
            && string.Equals(history.LatestRequestReason, reason, StringComparison.Ordinal);
        if (ended && !renewalDenied)
        {
            plan.File(key, reason, mode, history.ActiveGrantId, replacesEndedGrant: true, expiresAt: autoEnd);
            return;
        }

        // Denied, or granted then revoked: the same text is not asked again; a new reason is.
        var decidedAgainst = history.LatestRequestState is RequestState.Denied or RequestState.Approved;
        if (decidedAgainst && string.Equals(history.LatestRequestReason, reason, StringComparison.Ordinal))
        {
            return;
        }

        plan.File(key, reason, mode, null, expiresAt: autoEnd);
    }
}
