using System.Globalization;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Validation;

/// <summary>Reads the grant-lifetime fields shared by manifests and the organisation file (ADR 0023).</summary>
internal static class GrantLifetimeValues
{
    /// <summary>Ten years: longer is "forever" by another name, which is what no limit already says.</summary>
    public const int MaxDays = 3650;

    /// <summary><c>maxGrantDays</c>: a whole number of days from 1 to <see cref="MaxDays"/>.</summary>
    public static int? Days(NodeChecker check, YamlNode value, string code, string where)
    {
        if (check.Text(value, "maxGrantDays") is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxDays)
        {
            return days;
        }

        check.Error(code, value,
            $"maxGrantDays '{text}' of {where} is not a whole number of days from 1 to {MaxDays}; write e.g. 'maxGrantDays: 180', or leave it out for no limit");
        return null;
    }

    /// <summary><c>until</c>: a calendar date, YYYY-MM-DD; the grant lasts through that day (UTC).</summary>
    public static DateOnly? Date(NodeChecker check, YamlNode value, string code, string where)
    {
        if (check.Text(value, "until") is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        check.Error(code, value, $"until '{text}' of {where} is not a date; write it as YYYY-MM-DD, e.g. 'until: 2027-03-31'");
        return null;
    }
}
