namespace Gatehouse.Core.Access;

/// <summary>
/// What is stored about one access key: its latest request and its latest grant (at most one
/// grant per key is active, and it is always the latest one).
/// </summary>
public readonly record struct KeyHistory(
    long? LatestRequestId,
    RequestState? LatestRequestState,
    string? LatestRequestReason,
    long? LatestGrantId,
    GrantState? LatestGrantState,
    long? GrantRequestId,
    string? GrantReason)
{
    public bool HasActiveGrant => LatestGrantState == GrantState.Active;

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
            return (AccessState.Granted, history.GrantRequestId);
        }

        return history.LatestRequestState switch
        {
            RequestState.Pending => (AccessState.Pending, history.LatestRequestId),
            RequestState.Denied => (AccessState.Denied, history.LatestRequestId),

            // Approved but no active grant: its grant was revoked since.
            RequestState.Approved => (AccessState.Revoked, history.LatestRequestId),

            // Superseded: withdrawn before a decision (need removed or changed), nothing is live.
            _ => (AccessState.NotRequested, null),
        };
    }
}
