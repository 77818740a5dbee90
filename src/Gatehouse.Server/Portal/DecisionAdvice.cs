using Gatehouse.Core.Access;

namespace Gatehouse.Server.Portal;

/// <summary>
/// Which decisions to offer on a request, by <see cref="ApprovalRules"/>: the rule the store
/// applies to the same request, so the page never offers what the store would refuse.
/// </summary>
internal sealed record DecisionAdvice(bool MayApprove, bool MayDeny, string? WhyNot)
{
    public bool MayDecide => MayApprove || MayDeny;

    /// <summary>The environment policy that blocks a grant now (ADR 0031), in words; null when none does.</summary>
    public string? Policy { get; init; }

    /// <summary>The viewer is an admin and the environment is frozen: she may approve as an emergency.</summary>
    public bool MayDeclareEmergency { get; init; }

    public static DecisionAdvice For(PortalViewer viewer, AccessRequest request, IReadOnlyList<string> ownerUsers)
    {
        var approve = ApprovalRules.Decide(Input(viewer, request, ownerUsers, approve: true));

        // A denial's comment is typed into the form; the rule is asked as if it were given.
        var deny = ApprovalRules.Decide(Input(viewer, request, ownerUsers, approve: false));
        var mayApprove = approve.Result != DecisionResult.Refused;
        var mayDeny = deny.Result != DecisionResult.Refused;
        var why = mayApprove ? null : Explain(approve.Refusal, request, ownerUsers);
        return new DecisionAdvice(mayApprove, mayDeny, why);
    }

    private static DecisionInput Input(PortalViewer viewer, AccessRequest request, IReadOnlyList<string> ownerUsers, bool approve) => new(
        request.State,
        request.RequiredApproval,
        request.RequestedBy,
        request.People,
        request.Votes,
        viewer.Actor,
        ownerUsers,
        viewer.IsAdmin,
        approve,
        approve ? null : "(comment from the form)");

    private static string Explain(DecisionRefusal refusal, AccessRequest request, IReadOnlyList<string> ownerUsers) => refusal switch
    {
        DecisionRefusal.NotOwnerOrAdmin => $"Only an owner of {request.Key.Provider} ({(ownerUsers.Count == 0 ? "none listed" : string.Join(", ", ownerUsers))}) or an admin can decide this request.",
        DecisionRefusal.OwnRequest => "You filed this request, so someone else must decide it.",
        DecisionRefusal.BehindRequest => "You created the deploy token or triggered the CI run that filed this request, so someone else must decide it.",
        DecisionRefusal.NotAPerson => "The bootstrap token decides nothing; sign in with an admin's personal token.",
        DecisionRefusal.OwnerApprovalMissing => $"This request needs an approval from a current owner of {request.Key.Provider} ({(ownerUsers.Count == 0 ? "none listed" : string.Join(", ", ownerUsers))}); a second admin does not complete it.",
        DecisionRefusal.NotPending => $"This request is {request.State.ToString().ToLowerInvariant()}; there is nothing left to decide.",
        DecisionRefusal.AlreadyApproved => "You approved already; a second, different owner must approve too.",
        _ => "You cannot decide this request.",
    };
}
