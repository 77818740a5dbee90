using Gatehouse.Core.Manifests;

namespace Gatehouse.Core.Access;

/// <summary>Why a decision on a request was refused.</summary>
public enum DecisionRefusal
{
    None,

    /// <summary>Only an owner of the providing app or an admin decides.</summary>
    NotOwnerOrAdmin,

    /// <summary>Nobody decides a request they filed themselves.</summary>
    OwnRequest,

    /// <summary>
    /// Nobody decides a request they stand behind in another way: they created the deploy
    /// token that filed it, or triggered the CI run that did.
    /// </summary>
    BehindRequest,

    /// <summary>Only people decide: the bootstrap token casts no votes.</summary>
    NotAPerson,

    /// <summary>A two-owners request needs a current owner of the providing app among its two approvers.</summary>
    OwnerApprovalMissing,

    /// <summary>The request was already approved, denied or superseded.</summary>
    NotPending,

    /// <summary>A two-owners request needs a second, different approver.</summary>
    AlreadyApproved,

    /// <summary>A denial must say why.</summary>
    CommentRequired,
}

public enum DecisionResult
{
    Refused,

    /// <summary>A first approval of a two-owners request: still pending, one vote recorded.</summary>
    Voted,
    Approved,
    Denied,
}

/// <summary>Who decides and what they decide, with the facts the rules need.</summary>
/// <param name="People">The people behind the request (<see cref="AccessRequest.People"/>).</param>
/// <param name="Owners">The current owners of the providing app, as people.</param>
public sealed record DecisionInput(
    RequestState State,
    ApprovalMode RequiredApproval,
    string RequestedBy,
    IReadOnlyList<RequestPerson> People,
    IReadOnlyList<ApprovalVote> Votes,
    Actor Decider,
    IReadOnlyCollection<string> Owners,
    bool DeciderIsAdmin,
    bool Approve,
    string? Comment);

/// <summary>The outcome; <see cref="Approvers"/> lists everyone who approved when it is approved.</summary>
public sealed record DecisionOutcome(DecisionResult Result, DecisionRefusal Refusal, IReadOnlyList<string> Approvers)
{
    public static DecisionOutcome Refuse(DecisionRefusal refusal) => new(DecisionResult.Refused, refusal, []);
}

/// <summary>The approval rules of the grant workflow (docs/adr/0005-grant-workflow.md), free of storage.</summary>
public static class ApprovalRules
{
    public static DecisionOutcome Decide(DecisionInput input)
    {
        // Votes are cast by people: a token that is nobody (bootstrap) never counts as one.
        if (input.Decider.Kind == ActorKind.Bootstrap)
        {
            return DecisionOutcome.Refuse(DecisionRefusal.NotAPerson);
        }

        var person = input.Decider.Name;
        var isPerson = input.Decider.Kind == ActorKind.User;
        if (!isPerson || (!input.Owners.Contains(person, StringComparer.Ordinal) && !input.DeciderIsAdmin))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.NotOwnerOrAdmin);
        }

        // Separation of duties, by person: whoever filed the request, through whichever
        // credential, never decides it.
        if (string.Equals(input.RequestedBy, input.Decider.ToString(), StringComparison.Ordinal)
            || input.People.Any(p => p.Role == PersonRole.Pusher && string.Equals(p.Name, person, StringComparison.Ordinal)))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.OwnRequest);
        }

        if (input.People.Any(p => string.Equals(p.Name, person, StringComparison.Ordinal)))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.BehindRequest);
        }

        if (input.State != RequestState.Pending)
        {
            return DecisionOutcome.Refuse(DecisionRefusal.NotPending);
        }

        if (!input.Approve)
        {
            return string.IsNullOrWhiteSpace(input.Comment)
                ? DecisionOutcome.Refuse(DecisionRefusal.CommentRequired)
                : new DecisionOutcome(DecisionResult.Denied, DecisionRefusal.None, []);
        }

        var approvers = input.Votes.Where(v => v.Approve).Select(v => v.Approver).Distinct(StringComparer.Ordinal).ToList();
        if (approvers.Contains(person, StringComparer.Ordinal))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.AlreadyApproved);
        }

        approvers.Add(person);
        if (input.RequiredApproval != ApprovalMode.TwoOwners)
        {
            return new DecisionOutcome(DecisionResult.Approved, DecisionRefusal.None, approvers);
        }

        if (approvers.Count < 2)
        {
            return new DecisionOutcome(DecisionResult.Voted, DecisionRefusal.None, approvers);
        }

        // Two people, and at least one of them owns the data now: two admins alone do not
        // speak for the owners of a scope that asks for two of them.
        return approvers.Any(a => input.Owners.Contains(a, StringComparer.Ordinal))
            ? new DecisionOutcome(DecisionResult.Approved, DecisionRefusal.None, approvers)
            : DecisionOutcome.Refuse(DecisionRefusal.OwnerApprovalMissing);
    }
}
