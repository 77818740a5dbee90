namespace Gatehouse.Core.Access;

/// <summary>An owner's answer for one grant in an access review.</summary>
public enum ReviewDecision
{
    Keep,
    Revoke,
}

/// <summary>What happens at a review's deadline to the grants nobody confirmed (ADR 0032).</summary>
public enum UnconfirmedAction
{
    /// <summary>They are revoked, audited as the review's doing.</summary>
    Revoke,

    /// <summary>They stay, and the closed review lists them as unconfirmed.</summary>
    Report,
}

/// <summary>One grant under review: who holds what, and what its provider's owners said.</summary>
/// <param name="Outcome">After the review closed: kept, revoked (by an owner or at the deadline), unconfirmed (reported), or ended (expired or revoked meanwhile).</param>
public sealed record ReviewItem(
    long GrantId,
    AccessKey Key,
    string GrantedBy,
    DateTimeOffset GrantedAt,
    ReviewDecision? Decision,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Comment,
    string? Outcome);

/// <summary>
/// An access review (recertification): every grant active when it opened, in one environment
/// or all, goes to its provider's owners, who keep or revoke it before <see cref="Deadline"/>.
/// </summary>
public sealed record AccessReview(
    long Id,
    string? Environment,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset Deadline,
    UnconfirmedAction Unconfirmed,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<ReviewItem> Items)
{
    public int Total => Items.Count;

    public int Kept => Items.Count(i => i.Decision == ReviewDecision.Keep);

    public int Revoked => Items.Count(i => i.Decision == ReviewDecision.Revoke);

    public int Waiting => Items.Count(i => i.Decision is null && i.Outcome is null);

    public bool IsOpen => ClosedAt is null;
}

/// <summary>A review policy of an environment in the organisation file: a review every <see cref="EveryDays"/>, due <see cref="DeadlineDays"/> after it opens.</summary>
public sealed record ReviewPolicy(int EveryDays, int DeadlineDays, UnconfirmedAction Unconfirmed);
