using System.Globalization;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

/// <summary>Environment policies (ADR 0031): <c>promotion</c> and <c>freezes</c>.</summary>
internal sealed partial class OrganisationValidator
{
    private static readonly string[] FreezeKeys = ["from", "until", "reason"];
    private static readonly string[] ReviewKeys = ["everyDays", "deadlineDays", "unconfirmed"];

    /// <summary>A promotion names another environment of this file, and promotions never go round in a circle.</summary>
    private void CheckPromotions(List<EnvironmentDefinition> environments, List<(string Environment, string From, YamlNode At)> promotions)
    {
        var names = environments.Select(e => e.Name).ToList();
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (environment, from, at) in promotions)
        {
            if (from == environment)
            {
                check.Error(DiagnosticCodes.PromotionUnknownEnvironment, at, $"environment '{environment}' cannot require promotion from itself; name the environment a need is granted in first, e.g. 'promotion: staging'");
            }
            else if (!names.Contains(from, StringComparer.Ordinal))
            {
                check.Error(DiagnosticCodes.PromotionUnknownEnvironment, at,
                    $"promotion of '{environment}' names '{from}', which is not an environment of this file; use one of {string.Join(", ", names)}{Suggestions.DidYouMean(from, names)}");
            }
            else
            {
                next[environment] = from;
            }
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (environment, _, at) in promotions)
        {
            if (reported.Contains(environment))
            {
                continue;
            }

            var seen = new List<string> { environment };
            for (var current = environment; next.TryGetValue(current, out var from);)
            {
                if (seen.Contains(from, StringComparer.Ordinal))
                {
                    if (from == environment)
                    {
                        reported.UnionWith(seen);
                        check.Error(DiagnosticCodes.PromotionCycle, at, $"promotions go round in a circle ({string.Join(" after ", seen)} after {from}): nothing could ever be granted in them");
                    }

                    break;
                }

                seen.Add(from);
                current = from;
            }
        }
    }

    private List<EnvironmentFreeze> ReadFreezes(YamlNode value)
    {
        var freezes = new List<EnvironmentFreeze>();
        if (check.List(value, "freezes", "'- from: 2026-12-20'") is not { } list)
        {
            return freezes;
        }

        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each freeze") is not { } map)
            {
                continue;
            }

            DateOnly? from = null, until = null;
            var (hasFrom, hasUntil) = (false, false);
            string? reason = null;
            foreach (var (key, field) in map.Entries)
            {
                switch (key.Value)
                {
                    case "from": (from, hasFrom) = (FreezeDate(field, "from"), true); break;
                    case "until": (until, hasUntil) = (FreezeDate(field, "until"), true); break;
                    case "reason": reason = check.Text(field, "reason"); break;
                    default: check.UnknownKey(key, "a freeze", FreezeKeys); break;
                }
            }

            if (!hasFrom || !hasUntil)
            {
                check.Error(DiagnosticCodes.InvalidFreeze, item, "a freeze needs both 'from' and 'until' (dates, YYYY-MM-DD, both days included), e.g. '- from: 2026-12-20' and 'until: 2027-01-04'");
            }
            else if (from is null || until is null)
            {
                continue; // reported at the date
            }
            else if (until < from)
            {
                check.Error(DiagnosticCodes.InvalidFreeze, item, $"the freeze ends ({until:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}); swap 'from' and 'until'");
            }
            else
            {
                freezes.Add(new EnvironmentFreeze(from.Value, until.Value, reason));
            }
        }

        return freezes;
    }

    private DateOnly? FreezeDate(YamlNode value, string what)
    {
        if (check.Text(value, what) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        check.Error(DiagnosticCodes.InvalidFreeze, value, $"{what} '{text}' of a freeze is not a date; write it as YYYY-MM-DD, e.g. '{what}: 2026-12-20'");
        return null;
    }

    /// <summary><c>reviews: {everyDays, deadlineDays, unconfirmed}</c>: a recurring access review (ADR 0032).</summary>
    private Access.ReviewPolicy? ReadReviewPolicy(YamlNode value)
    {
        if (check.Mapping(value, "reviews") is not { } map)
        {
            return null;
        }

        int? every = null, deadline = null;
        var unconfirmed = Access.UnconfirmedAction.Report;
        var valid = true;
        foreach (var (key, field) in map.Entries)
        {
            switch (key.Value)
            {
                case "everyDays": every = ReviewDays(field, "everyDays", 3650, ref valid); break;
                case "deadlineDays": deadline = ReviewDays(field, "deadlineDays", 365, ref valid); break;
                case "unconfirmed":
                    switch (check.Text(field, "unconfirmed"))
                    {
                        case "report": unconfirmed = Access.UnconfirmedAction.Report; break;
                        case "revoke": unconfirmed = Access.UnconfirmedAction.Revoke; break;
                        case { } other:
                            check.Error(DiagnosticCodes.InvalidReviewPolicy, field, $"unconfirmed '{other}' is not known; use report (grants nobody confirmed stay, listed) or revoke");
                            valid = false;
                            break;
                    }

                    break;
                default: check.UnknownKey(key, "reviews", ReviewKeys); break;
            }
        }

        if (every is null && valid)
        {
            check.Error(DiagnosticCodes.InvalidReviewPolicy, value, "reviews needs 'everyDays': how often a review of this environment opens, e.g. 'everyDays: 90'");
            return null;
        }

        return valid && every is not null ? new Access.ReviewPolicy(every.Value, deadline ?? 14, unconfirmed) : null;
    }

    private int? ReviewDays(YamlNode value, string what, int max, ref bool valid)
    {
        if (check.Text(value, what) is not { } text)
        {
            valid = false;
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1 && days <= max)
        {
            return days;
        }

        check.Error(DiagnosticCodes.InvalidReviewPolicy, value, $"{what} '{text}' is not a whole number of days from 1 to {max}");
        valid = false;
        return null;
    }
}
