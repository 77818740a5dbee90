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
            entries.Add(new(grant.GrantedAt, $"Access granted (grant #{grant.Id})", $"Granted by {grant.GrantedBy}.", "granted"));
            if (grant.RevokedAt is { } revoked)
            {
                entries.Add(new(revoked, $"Access revoked by {grant.RevokedBy}", grant.RevokeReason, "revoked"));
            }
        }

        return [.. entries.OrderBy(e => e.At)];
    }
}
