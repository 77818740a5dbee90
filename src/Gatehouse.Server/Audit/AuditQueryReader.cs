using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Audit;

/// <summary>The audit log's query parameters as given (strings, so a bad value gets a message, not a bare 400).</summary>
internal sealed record AuditQueryText(string? App, string? Actor, string? Action, string? Since, string? Until, string? After, string? Before, string? Limit, string? Order);

/// <summary>Reads the audit log's query string, naming every parameter that is wrong at once.</summary>
internal static class AuditQueryReader
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static (AuditQuery? Query, IReadOnlyList<string> Problems) Read(AuditQueryText query)
    {
        var problems = new List<string>();
        var since = Time("since", query.Since, problems);
        var until = Time("until", query.Until, problems);
        if (since is { } from && until is { } to && from >= to)
        {
            problems.Add($"`since` ({from:O}) must be before `until` ({to:O})");
        }

        var after = Number("after", query.After, 0, problems);
        var before = Number("before", query.Before, 1, problems);
        // A larger limit is served as the maximum, as it always was; the caller pages on with after/before.
        var limit = Math.Min(Number("limit", query.Limit, 1, problems) ?? DefaultLimit, MaxLimit);
        var order = Blank(query.Order) ?? "oldest";
        if (order is not ("oldest" or "newest"))
        {
            problems.Add($"`order` must be `oldest` or `newest`, not `{order}`");
        }

        return problems.Count > 0
            ? (null, problems)
            : (new AuditQuery(Blank(query.App), Blank(query.Actor), Blank(query.Action), since, until, after, (int)limit, before, order == "newest"), problems);
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTimeOffset? Time(string name, string? text, List<string> problems)
    {
        text = Blank(text);
        if (text is null)
        {
            return null;
        }

        if (AuditTime.TryParse(text, out var at, out _))
        {
            return at;
        }

        problems.Add($"`{name}` must be a date or date-time such as {AuditTime.Examples}, not `{text}`");
        return null;
    }

    private static long? Number(string name, string? text, long min, List<string> problems)
    {
        text = Blank(text);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        problems.Add($"`{name}` must be a whole number of {min} or more, not `{text}`");
        return null;
    }
}
