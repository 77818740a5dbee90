using System.Globalization;

namespace Gatehouse.Core.Access;

/// <summary>
/// The times the audit filters take: ISO 8601 dates and date-times, UTC unless they carry an
/// offset (<c>2026-11-01</c>, <c>2026-11-01T14:30</c>, <c>2026-11-01T14:30:00.123+02:00</c>).
/// Strict on purpose: a time that could be read two ways is refused, not guessed.
/// </summary>
public static class AuditTime
{
    public const string Examples = "2026-11-01, 2026-11-01T14:30 or 2026-11-01T14:30:00Z";

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <param name="dateOnly">True for a date without a time (its start, midnight UTC, is returned).</param>
    public static bool TryParse(string? text, out DateTimeOffset at, out bool dateOnly)
    {
        text = text?.Trim().Replace(' ', 'T');
        dateOnly = false;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            dateOnly = true;
            return true;
        }

        return DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }
}
