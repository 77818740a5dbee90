using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Templates;

/// <summary>A semantic version (MAJOR.MINOR.PATCH with an optional pre-release), as a template's tags name them.</summary>
public sealed partial record SemVersion(int Major, int Minor, int Patch, string? PreRelease) : IComparable<SemVersion>
{
    [GeneratedRegex(@"^v?(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(?:-([0-9A-Za-z.-]+))?$")]
    private static partial Regex Shape();

    /// <summary>Reads <c>1.2.3</c>, <c>v1.2.3</c> or <c>1.2.3-rc.1</c>; null for anything else.</summary>
    public static SemVersion? TryParse(string? text)
    {
        if (text is null || Shape().Match(text.Trim()) is not { Success: true } m)
        {
            return null;
        }

        return new SemVersion(Int(m.Groups[1].Value), Int(m.Groups[2].Value), Int(m.Groups[3].Value),
            m.Groups[4].Success ? m.Groups[4].Value : null);
    }

    public int CompareTo(SemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        // A pre-release sorts before its release (semver.org rule 11); pre-releases compare by text.
        return (PreRelease, other.PreRelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(PreRelease, other.PreRelease),
        };
    }

    public static bool operator <(SemVersion left, SemVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemVersion left, SemVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemVersion left, SemVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemVersion left, SemVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => PreRelease is null ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{PreRelease}";

    private static int Int(string digits) => int.Parse(digits, CultureInfo.InvariantCulture);
}
