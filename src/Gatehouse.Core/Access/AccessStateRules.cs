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
    string? ActiveGrantReason,
    DateTimeOffset? ActiveGrantExpiresAt = null)
{
    /// <summary>Every grant has a request, so the active grant's request id says whether there is one.</summary>
    public bool HasActiveGrant => ActiveGrantRequestId is not null;

    public bool HasPendingRequest => LatestRequestState == RequestState.Pending;

    /// <summary>The stored grant is still marked active but its end has passed: it is expired, whatever any job has or has not done yet.</summary>
    public bool ActiveGrantEndedAt(DateTimeOffset now) => HasActiveGrant && GrantLifetime.HasEnded(ActiveGrantExpiresAt, now);
}

/// <summary>The state <c>check</c> reports for a key, derived from its history.</summary>
public static class AccessStateRules
{
    /// <summary>
    /// The state as stored, independent of the clock: a grant still marked active is
    /// <see cref="AccessState.Granted"/> here, and <see cref="AtTime"/> turns it into expired
    /// at answer time, so an answer cached before the end is still right after it.
    /// </summary>
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

    /// <summary>
    /// The state at <paramref name="now"/> of a key that is <see cref="AccessState.Granted"/> as
    /// stored: expired once <paramref name="expiresAt"/> has passed, or pending when a renewal
    /// (<paramref name="pendingRequestId"/>) already waits for approval (ADR 0023).
    /// </summary>
    public static (AccessState State, long? RequestId) AtTime(AccessState state, long? requestId, DateTimeOffset? expiresAt, long? pendingRequestId, DateTimeOffset now) =>
        state == AccessState.Granted && GrantLifetime.HasEnded(expiresAt, now)
            ? (pendingRequestId is { } pending ? (AccessState.Pending, pending) : (AccessState.Expired, requestId))
            : (state, requestId);
}
