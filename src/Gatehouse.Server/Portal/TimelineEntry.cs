using Gatehouse.Core.Access;

namespace Gatehouse.Server.Portal;

/// <summary>One line of a request's history: requested, voted, decided, granted, revoked, superseded.</summary>
internal sealed record TimelineEntry(DateTimeOffset At, string Title, string? Detail, string Kind)
{
    public static IReadOnlyList<TimelineEntry> For(AccessRequest request, IEnumerable<Grant> grants)
    {
        var entries = new List<TimelineEntry>
        {
            new(request.RequestedAt, $"Requested by {request.RequestedBy}", request.Reason, "requested"),
        };
        foreach (var vote in request.Votes)
        {
            entries.Add(new(vote.At, $"{(vote.Approve ? "Approved" : "Denied")} by {vote.Approver}", vote.Comment, vote.Approve ? "approved" : "denied"));
        }

        if (request.State == RequestState.Superseded && request.DecidedAt is { } superseded)
        {
            entries.Add(new(superseded, "Superseded", "The need changed or was removed from the manifest before a decision.", "superseded"));
        }

        foreach (var grant in grants)
        {
            var until = grant.ExpiresAt is { } end ? $" Until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC." : "";
            entries.Add(grant.Emergency
                ? new(grant.GrantedAt, $"Access granted as an emergency during a freeze (grant #{grant.Id})", $"Granted by {grant.GrantedBy}, an admin's emergency approval.{until}", "emergency")
                : new(grant.GrantedAt, $"Access granted (grant #{grant.Id})", $"Granted by {grant.GrantedBy}.{until}", "granted"));
            if (grant.State == Core.Access.GrantState.Expired && grant.ExpiresAt is { } ended)
            {
                entries.Add(new(ended, "Access expired", "The grant reached its end; a new approval renews it.", "expired"));
            }

            if (grant.RevokedAt is { } revoked)
            {
                entries.Add(new(revoked, $"Access revoked by {grant.RevokedBy}", grant.RevokeReason, "revoked"));
            }
        }

        return [.. entries.OrderBy(e => e.At)];
    }
}
