namespace Gatehouse.Core.Access;

/// <summary>
/// When a grant ends (ADR 0023): the earliest of the scope's and the environment's
/// <c>maxGrantDays</c> counted from the approval, and the end of the need's <c>until</c> day (UTC).
/// Null when none of them is set: the grant lasts until it is revoked.
/// </summary>
public static class GrantLifetime
{
    public static DateTimeOffset? End(DateTimeOffset approvedAt, int? scopeMaxDays, int? environmentMaxDays, DateOnly? until)
    {
        DateTimeOffset? end = null;
        foreach (var days in (ReadOnlySpan<int?>)[scopeMaxDays, environmentMaxDays])
        {
            if (days is { } d)
            {
                end = Earliest(end, approvedAt.AddDays(d));
            }
        }

        if (until is { } date)
        {
            // "until: 2027-03-31" includes the 31st: the grant ends as April 1st begins, in UTC.
            end = Earliest(end, new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        return end;
    }

    /// <summary>Whether a grant ending at <paramref name="expiresAt"/> is over at <paramref name="now"/>: the end itself is already outside it.</summary>
    public static bool HasEnded(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } end && end <= now;

    /// <summary>
    /// How long before its end a grant is "ending soon": listed by the portal and the CLI, and
    /// asked again by a push so the owners can renew it before it lapses.
    /// </summary>
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromDays(14);

    /// <summary>Whether a grant ending at <paramref name="expiresAt"/> ends within <see cref="RenewalWindow"/> of <paramref name="now"/> (and has not ended).</summary>
    public static bool EndsSoon(DateTimeOffset? expiresAt, DateTimeOffset now) =>
        expiresAt is { } end && end > now && end - now <= RenewalWindow;

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
