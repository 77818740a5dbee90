using Gatehouse.Core.Naming;

namespace Gatehouse.Server.Checks;

/// <summary>
/// The manifest's name rules (docs/manifest.md) applied to the names of a check or a decision, so a
/// name no manifest could declare is refused before it reaches the store or a cache.
/// </summary>
internal static class AccessNames
{
    /// <summary>The first rule the names break, in words, or null when all four are valid names.</summary>
    public static string? Problem(string consumer, string provider, string scope, string environment)
    {
        if (!NameRules.IsAppName(consumer))
        {
            return $"the consumer {Quote(consumer)} is not an app name (2-63 lowercase letters, digits and single hyphens, starting with a letter).";
        }

        if (!NameRules.IsAppName(provider))
        {
            return $"the provider {Quote(provider)} is not an app name (2-63 lowercase letters, digits and single hyphens, starting with a letter).";
        }

        if (!NameRules.IsScopeName(scope))
        {
            return $"the scope {Quote(scope)} is not a scope name (dot-separated words of lowercase letters, digits and hyphens, at most {NameRules.MaxScopeLength} characters).";
        }

        return NameRules.IsEnvironmentName(environment)
            ? null
            : $"the environment {Quote(environment)} is not an environment name (1-32 lowercase letters, digits and single hyphens, starting with a letter).";
    }

    // An attacker's 8,000-character name is not echoed back in full.
    private static string Quote(string name) => name.Length <= 100 ? $"`{name}`" : $"`{name[..40]}…` ({name.Length} characters)";
}
