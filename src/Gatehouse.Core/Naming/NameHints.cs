namespace Gatehouse.Core.Naming;

/// <summary>The sentences that explain a broken name rule, with a corrected spelling when one is obvious.</summary>
internal static class NameHints
{
    public const string AppRule = "use 2-63 lowercase letters, digits and single hyphens, starting with a letter (e.g. billing, order-history)";
    public const string EnvironmentRule = "use 1-32 lowercase letters, digits and single hyphens, starting with a letter (e.g. staging)";
    public const string ScopeRule = "use dot-separated words of lowercase letters, digits and single hyphens, at most 100 characters (e.g. invoices.read)";
    public const string UserRule = "use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>"; did you mean 'x'?" when lowercasing and hyphenating the name satisfies the rule.</summary>
    public static string Corrected(string name, Func<string, bool> rule)
    {
        if (name.Length > 128)
        {
            return "";
        }

        var fixedName = name.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        return fixedName != name && rule(fixedName) ? $"; did you mean '{fixedName}'?" : "";
    }
}
