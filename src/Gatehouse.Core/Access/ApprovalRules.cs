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
public sealed record DecisionInput(
    RequestState State,
    ApprovalMode RequiredApproval,
    string RequestedBy,
    IReadOnlyList<ApprovalVote> Votes,
    string DeciderActor,
    string DeciderName,
    bool DeciderIsOwner,
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
        if (!input.DeciderIsOwner && !input.DeciderIsAdmin)
        {
            return DecisionOutcome.Refuse(DecisionRefusal.NotOwnerOrAdmin);
        }

        // Separation of duties: filing a request and deciding it are never the same actor.
        if (string.Equals(input.RequestedBy, input.DeciderActor, StringComparison.Ordinal))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.OwnRequest);
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
        if (approvers.Contains(input.DeciderName, StringComparer.Ordinal))
        {
            return DecisionOutcome.Refuse(DecisionRefusal.AlreadyApproved);
        }

        approvers.Add(input.DeciderName);
        var needed = input.RequiredApproval == ApprovalMode.TwoOwners ? 2 : 1;
        return new DecisionOutcome(approvers.Count >= needed ? DecisionResult.Approved : DecisionResult.Voted, DecisionRefusal.None, approvers);
    }
}
