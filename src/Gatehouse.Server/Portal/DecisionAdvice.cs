using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Server.Portal;

/// <summary>Whether to offer approve/deny for a request, and if not, a sentence saying why.</summary>
internal sealed record DecisionAdvice(bool MayDecide, string? WhyNot)
{
    // TODO(storage): replace with the shared rule in Gatehouse.Core.Access once it lands.
    public static DecisionAdvice For(PortalViewer viewer, AccessRequest request, IReadOnlyList<string> ownerUsers)
    {
        if (request.State != RequestState.Pending)
        {
            return new(false, $"This request is {request.State.ToString().ToLowerInvariant()}.");
        }

        if (!viewer.IsAdmin && !ownerUsers.Contains(viewer.Name, StringComparer.Ordinal))
        {
            return new(false, $"Only owners of {request.Key.Provider} ({string.Join(", ", ownerUsers)}) or an admin can decide.");
        }

        if (request.RequestedBy == viewer.Actor.ToString())
        {
            return new(false, "You filed this request; another owner must decide it.");
        }

        if (request.RequiredApproval == ApprovalMode.TwoOwners && request.Votes.Any(v => v.Approver == viewer.Name))
        {
            return new(false, "You have approved already; a second owner must approve too.");
        }

        return new(true, null);
    }
}
