using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

internal sealed partial class OrganisationValidator
{
    private static readonly string[] CiIssuerKeys = ["name", "issuer", "audience", "jwksUri", "rules"];
    private static readonly string[] CiRuleKeys = ["name", "app", "repository", "branch", "ref", "environment"];

    private List<CiIssuer> ReadCiIssuers(YamlNode value)
    {
        if (check.List(value, "ciIssuers", "'- name: github'") is not { } list)
        {
            return [];
        }

        var issuers = new List<CiIssuer>(list.Items.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var urls = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each CI issuer") is not { } map)
            {
                continue;
            }

            string? name = null, issuer = null, audience = null, jwksUri = null;
            YamlNode? nameNode = null;
            List<CiRule>? rules = null;
            foreach (var (key, field) in map.Entries)
            {
                switch (key.Value)
                {
                    case "name": (name, nameNode) = (check.Text(field, "CI issuer name"), field); break;
                    case "issuer": issuer = Url(field, "issuer", urls); break;
                    case "audience": audience = check.Text(field, "audience"); break;
                    case "jwksUri": jwksUri = Url(field, "jwksUri", null); break;
                    case "rules": rules = ReadCiRules(field); break;
                    default: check.UnknownKey(key, "a CI issuer", CiIssuerKeys); break;
                }
            }

            foreach (var (key, hint) in new[]
            {
                ("issuer", "the issuer URL its tokens carry in `iss`, e.g. 'issuer: https://token.actions.githubusercontent.com'"),
                ("audience", "the audience CI requests its token for, e.g. 'audience: https://gatehouse.example.com'"),
                ("rules", "map claims to apps, e.g. '- {name: checkout, app: checkout, repository: acme/checkout, branch: main}'"),
            })
            {
                if (!HasKey(map, key))
                {
                    check.Missing(map, "a CI issuer", key, hint);
                }
            }

            if (Named(map, nameNode, name, "a CI issuer", NameRules.IsTeamName, DiagnosticCodes.InvalidCiName,
                    NameHints.AppRule, names, DiagnosticCodes.DuplicateCiIssuer)
                && issuer is not null && audience is { Length: > 0 } && rules is not null)
            {
                issuers.Add(new CiIssuer(name!, issuer, audience, jwksUri, rules, nameNode!.At(check.File)));
            }
        }

        return issuers;
    }

    private List<CiRule>? ReadCiRules(YamlNode value)
    {
        if (check.List(value, "rules", "'- {name: checkout, app: checkout, repository: acme/checkout}'") is not { } list)
        {
            return null;
        }

        var rules = new List<CiRule>(list.Items.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each CI rule") is not { } map)
            {
                continue;
            }

            string? name = null, app = null, repository = null, branch = null, gitRef = null, environment = null;
            YamlNode? nameNode = null;
            foreach (var (key, field) in map.Entries)
            {
                switch (key.Value)
                {
                    case "name": (name, nameNode) = (check.Text(field, "CI rule name"), field); break;
                    case "app": app = RuleApp(field); break;
                    case "repository": repository = Pattern(field, "repository"); break;
                    case "branch": branch = Pattern(field, "branch"); break;
                    case "ref": gitRef = Pattern(field, "ref"); break;
                    case "environment": environment = Pattern(field, "environment"); break;
                    default: check.UnknownKey(key, "a CI rule", CiRuleKeys); break;
                }
            }

            if (!HasKey(map, "app"))
            {
                check.Missing(map, "a CI rule", "app", "name the app a matching run acts for, e.g. 'app: checkout'");
            }

            // Without a repository a rule would admit every repository the issuer signs for (on
            // github.com, all of them), so it is required.
            if (!HasKey(map, "repository"))
            {
                check.Missing(map, "a CI rule", "repository", "name the repository whose runs it admits, e.g. 'repository: acme/checkout'");
            }

            if (Named(map, nameNode, name, "a CI rule", NameRules.IsTeamName, DiagnosticCodes.InvalidCiName,
                    NameHints.AppRule, names, DiagnosticCodes.DuplicateCiRule) && app is not null && repository is not null)
            {
                rules.Add(new CiRule(name!, app, repository, branch, gitRef, environment, nameNode!.At(check.File)));
            }
        }

        return rules;
    }

    private string? RuleApp(YamlNode field)
    {
        var app = check.Text(field, "app");
        if (app is not null && !NameRules.IsAppName(app))
        {
            check.Error(DiagnosticCodes.InvalidCiName, field, $"app name '{app}' is invalid: {NameHints.AppRule}{NameHints.Corrected(app, NameRules.IsAppName)}");
            return null;
        }

        return app;
    }

    /// <summary>A claim value to match: text, with at most one <c>*</c>, at its end.</summary>
    private string? Pattern(YamlNode field, string what)
    {
        var text = check.Text(field, what);
        if (text is null)
        {
            return null;
        }

        var star = text.IndexOf('*', StringComparison.Ordinal);
        if (text.Trim().Length == 0 || text == "*" || (star >= 0 && star != text.Length - 1))
        {
            check.Error(DiagnosticCodes.InvalidCiRulePattern, field,
                $"{what} '{text}' is not a value to match: give the exact value, or a prefix ending in '*' (e.g. 'release/*'); leave the key out to accept any");
            return null;
        }

        return text;
    }

    /// <summary>An https URL; http only to a loopback host (a test issuer or a local CI runner).</summary>
    private string? Url(YamlNode field, string what, Dictionary<string, int>? seen)
    {
        var text = check.Text(field, what);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            check.Error(DiagnosticCodes.InvalidCiIssuerUrl, field,
                $"{what} '{text}' must be an https URL without query or fragment (http only to 127.0.0.1 or localhost)");
            return null;
        }

        if (seen is not null)
        {
            if (seen.TryGetValue(text, out var first))
            {
                check.Error(DiagnosticCodes.DuplicateCiIssuer, field, $"issuer '{text}' is trusted twice (first on line {first}); put all its rules under one entry");
                return null;
            }

            seen.Add(text, field.Line);
        }

        return text;
    }
}
