namespace Gatehouse.Core.Validation;

/// <summary>"Did you mean" for keys, values and names, by edit distance.</summary>
public static class Suggestions
{
    // Distances are only worth computing for name-sized strings; this also bounds the work on hostile input.
    private const int MaxLength = 64;

    /// <summary>The candidate a person most likely meant, or null when none is close.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        if (input.Length is 0 or > MaxLength)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (candidate.Length > MaxLength || string.Equals(candidate, input, StringComparison.Ordinal))
            {
                continue;
            }

            var distance = Distance(input, candidate);
            var prefix = input.Length >= 3 && candidate.StartsWith(input, StringComparison.OrdinalIgnoreCase);
            var acceptable = prefix || distance <= Math.Clamp(candidate.Length / 3, 1, 3);
            if (acceptable && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" did you mean 'x'?" or an empty string, to append to a message.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } match ? $"; did you mean '{match}'?" : "";

    /// <summary>Levenshtein distance, ignoring ASCII case (a key written as 'ApiVersion' is one step from nothing).</summary>
    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            current.CopyTo(previous);
        }

        return previous[b.Length];
    }
}
