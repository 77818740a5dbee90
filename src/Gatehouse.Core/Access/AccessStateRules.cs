namespace Gatehouse.Core.Access;

/// <summary>
/// What is stored about one access key: its latest request and its active grant, if any (a key
/// has at most one active grant; a replacement revokes the old one first).
/// </summary>
public readonly record struct KeyHistory(
    long? LatestRequestId,
    RequestState? LatestRequestState,
    string? LatestRequestReason,
    long? ActiveGrantId,
    long? ActiveGrantRequestId,
    string? ActiveGrantReason)
{
    /// <summary>Every grant has a request, so the active grant's request id says whether there is one.</summary>
    public bool HasActiveGrant => ActiveGrantRequestId is not null;

    public bool HasPendingRequest => LatestRequestState == RequestState.Pending;
}

/// <summary>The state <c>check</c> reports for a key, derived from its history.</summary>
public static class AccessStateRules
{
    public static (AccessState State, long? RequestId) Resolve(KeyHistory history)
    {
        // An active grant wins even while a reason change is pending: the old grant stays valid
        // until the new request is decided.
        if (history.HasActiveGrant)
        {
            return (AccessState.Granted, history.ActiveGrantRequestId);
        }

        return history.LatestRequestState switch
        {
            RequestState.Pending => (AccessState.Pending, history.LatestRequestId),
            RequestState.Denied => (AccessState.Denied, history.LatestRequestId),

            // Approved but no active grant: its grant was revoked since (a newer request would be the latest).
            RequestState.Approved => (AccessState.Revoked, history.LatestRequestId),

            // Superseded: withdrawn before a decision (need removed or changed), nothing is live.
            _ => (AccessState.NotRequested, null),
        };
    }
}
