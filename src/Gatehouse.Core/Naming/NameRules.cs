namespace Gatehouse.Core.Naming;

/// <summary>
/// The name rules of manifests and organisation files, as hand-written checks (they run for
/// every name in every file). Documented in docs/manifest.md.
/// </summary>
public static class NameRules
{
    public const int MaxScopeLength = 100;

    private static readonly System.Buffers.SearchValues<char> WordCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>App, team and organisation names: lowercase words joined by single hyphens, 2 to 63 characters.</summary>
    public static bool IsAppName(string name) => name.Length is >= 2 and <= 63 && IsWord(name);

    /// <summary>Same rule as <see cref="IsAppName"/>.</summary>
    public static bool IsTeamName(string name) => IsAppName(name);

    /// <summary>Same rule as <see cref="IsAppName"/>.</summary>
    public static bool IsOrganisationName(string name) => IsAppName(name);

    /// <summary>Environment names: the app rule, 1 to 32 characters.</summary>
    public static bool IsEnvironmentName(string name) => name.Length is >= 1 and <= 32 && IsWord(name);

    /// <summary>Scope names: dot-separated words (<c>invoices.read</c>), at most 100 characters.</summary>
    public static bool IsScopeName(string name)
    {
        if (name.Length is 0 or > MaxScopeLength)
        {
            return false;
        }

        foreach (var segment in name.AsSpan().Split('.'))
        {
            if (!IsWord(name.AsSpan(segment)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>User names: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, 1 to 64 characters.</summary>
    public static bool IsUserName(string name)
    {
        if (name.Length is 0 or > 64 || !IsLowerOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsLowerOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    // ^[a-z][a-z0-9]*(-[a-z0-9]+)*$: vectorised, since every check and decision tests four names.
    private static bool IsWord(ReadOnlySpan<char> word) =>
        !word.IsEmpty && word[0] is >= 'a' and <= 'z' && word[^1] != '-'
        && !word.ContainsAnyExcept(WordCharacters) && !word.Contains("--", StringComparison.Ordinal);

    private static bool IsLowerOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
