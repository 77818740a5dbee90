using System.Globalization;
using System.Text.Json;
using Gatehouse.Server.Api;
using Gatehouse.Storage;

namespace Gatehouse.Server.Manifests;

/// <summary>
/// How many changes a plan or push made, per kind, and how many of them the answer lists
/// (docs/adr/0038-push-summary-answer.md). A push of a million grants makes about two million
/// changes: listed whole, the answer was 650 MB of JSON, stored again for idempotent replay.
/// </summary>
/// <param name="Total">Every change the push made (or the plan would make).</param>
/// <param name="Listed">How many of them <c>changes</c> holds: the first ones, in plan order.</param>
/// <param name="Omitted">How many were left out of <c>changes</c>; each is in the audit log after a push.</param>
/// <param name="Counts">Changes per kind (<c>add-app</c>, <c>auto-grant</c>, …); kinds with none are absent.</param>
internal sealed record PushChangeSummary(int Total, int Listed, int Omitted, IReadOnlyDictionary<string, int> Counts)
{
    /// <summary>Listed when the caller does not say: every change of all but the largest pushes, an answer of at most a few MB.</summary>
    public const int DefaultLimit = 10_000;

    /// <summary>The most a caller may ask to be listed; beyond it, the audit log (or a plan) is the place to read them.</summary>
    public const int MaxLimit = 100_000;

    public const string Parameter = "changes";

    public static PushChangeSummary Of(PushPlan plan, int limit)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (kind, count) in plan.Counts)
        {
            counts[JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString())] = count;
        }

        var listed = Math.Min(limit, plan.Changes.Count);
        return new PushChangeSummary(plan.Changes.Count, listed, plan.Changes.Count - listed, counts);
    }

    /// <summary>The first <paramref name="limit"/> changes, without copying the list when all of them fit.</summary>
    public static IReadOnlyList<PlannedChange> First(IReadOnlyList<PlannedChange> changes, int limit) =>
        changes.Count <= limit ? changes : changes.Take(limit).ToList();

    /// <summary>Reads <c>?changes=N</c>; a problem naming the parameter when it is not a whole number from 0 to <see cref="MaxLimit"/>.</summary>
    public static (int Limit, IResult? Problem) ReadLimit(string? given)
    {
        if (given is null)
        {
            return (DefaultLimit, null);
        }

        return int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit <= MaxLimit
            ? (limit, null)
            : (0, ApiProblems.Result(400, ApiErrors.ChangeLimitInvalid, $"`{Parameter}` (how many changes to list) must be a whole number from 0 to {MaxLimit}; the answer counts every change per kind either way."));
    }
}
