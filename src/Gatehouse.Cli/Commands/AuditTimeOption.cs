using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Core.Access;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// What <c>--since</c> and <c>--until</c> take: a date (<c>--until 2026-11-01</c> includes that whole
/// day), a date and time (UTC unless it has an offset), or a span back from now (<c>30m</c>, <c>24h</c>, <c>7d</c>).
/// </summary>
internal static partial class AuditTimeOption
{
    public const string Help = "a date (2026-11-01), a date and time (2026-11-01T14:30, UTC unless it has an offset) or a span back from now (30m, 24h, 7d)";

    public static bool TryParse(string option, string text, DateTimeOffset now, out DateTimeOffset at, out string? error)
    {
        error = null;
        var relative = Relative().Match(text.Trim());
        if (relative.Success && int.TryParse(relative.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            at = now - relative.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            return true;
        }

        if (AuditTime.TryParse(text, out at, out var dateOnly))
        {
            // "Until a day" reads as "up to the end of it"; the server's bound is exclusive.
            at = dateOnly && option == "--until" ? at.AddDays(1) : at;
            return true;
        }

        error = $"{option}: `{text}` is not a time; use {Help}";
        return false;
    }

    [GeneratedRegex("^([0-9]{1,6})(m|h|d|w)$")]
    private static partial Regex Relative();
}
