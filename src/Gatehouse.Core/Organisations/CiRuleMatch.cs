namespace Gatehouse.Core.Organisations;

/// <summary>
/// The claims of a CI run that rules look at, read from the shapes GitHub Actions and GitLab CI
/// give their tokens (ADR 0021).
/// </summary>
public sealed record CiRunClaims(string? Repository, string? Ref, string? Branch, string? Environment, string? Actor)
{
    /// <summary>Reads GitHub's (<c>repository</c>, <c>ref</c>, <c>actor</c>) or GitLab's (<c>project_path</c>, <c>ref</c> + <c>ref_type</c>, <c>user_login</c>) claims.</summary>
    public static CiRunClaims From(Func<string, string?> claim)
    {
        var repository = claim("repository") ?? claim("project_path");
        var refClaim = claim("ref");
        string? fullRef = refClaim, branch = null;
        if (refClaim is not null && refClaim.StartsWith("refs/", StringComparison.Ordinal))
        {
            branch = refClaim.StartsWith("refs/heads/", StringComparison.Ordinal) ? refClaim["refs/heads/".Length..] : null;
        }
        else if (refClaim is not null)
        {
            // GitLab gives the short name and says what it is.
            (fullRef, branch) = claim("ref_type") switch
            {
                "branch" => ("refs/heads/" + refClaim, refClaim),
                "tag" => ("refs/tags/" + refClaim, null),
                _ => (refClaim, null),
            };
        }

        return new CiRunClaims(repository, fullRef, branch, claim("environment"), claim("actor") ?? claim("user_login"));
    }
}

/// <summary>Which rule admits a run, or, when none does, the rule that came closest and the claim that did not match.</summary>
public sealed record CiRuleMatch(CiRule? Rule, CiRule? Closest, string? Mismatch)
{
    public static CiRuleMatch Find(CiIssuer issuer, CiRunClaims claims)
    {
        CiRule? closest = null;
        string? mismatch = null;
        var best = -1;
        foreach (var rule in issuer.Rules)
        {
            var (matched, problem) = Check(rule, claims);
            if (problem is null)
            {
                return new CiRuleMatch(rule, null, null);
            }

            if (matched > best)
            {
                (best, closest, mismatch) = (matched, rule, problem);
            }
        }

        return new CiRuleMatch(null, closest, mismatch);
    }

    /// <summary>How many conditions hold before the first that does not, and what that one wants.</summary>
    private static (int Matched, string? Problem) Check(CiRule rule, CiRunClaims claims)
    {
        (string Claim, string? Want, string? Have, bool IgnoreCase)[] conditions =
        [
            ("repository", rule.Repository, claims.Repository, true),
            ("branch", rule.Branch, claims.Branch, false),
            ("ref", rule.Ref, claims.Ref, false),
            ("environment", rule.Environment, claims.Environment, false),
        ];
        var matched = 0;
        foreach (var (claim, want, have, ignoreCase) in conditions)
        {
            if (want is null)
            {
                continue;
            }

            if (!Matches(want, have, ignoreCase))
            {
                return (matched, $"{claim} is {(have is null ? "absent" : $"`{have}`")}, the rule wants `{want}`");
            }

            matched++;
        }

        return (matched, null);
    }

    public static bool Matches(string pattern, string? value, bool ignoreCase = false)
    {
        if (value is null)
        {
            return false;
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return pattern.EndsWith('*')
            ? value.StartsWith(pattern[..^1], comparison)
            : string.Equals(pattern, value, comparison);
    }
}
