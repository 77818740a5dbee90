using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Organisations;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Organisations;

/// <summary><c>ciIssuers</c> in the organisation file (ADR 0021): what it reads, every rule with its position, and how rules match claims.</summary>
public sealed class CiIssuerRuleTests
{
    private const string Head = "apiVersion: gatehouse/v1\norganisation: acme\nadmins: [alice]\nenvironments:\n  - name: production\n";

    // Lines 6-12; a case replaces or appends from there.
    private const string GitHub = Head + """
        ciIssuers:
          - name: github
            issuer: https://token.actions.githubusercontent.com
            audience: https://gatehouse.acme.example
            rules:
              - name: checkout-main
                app: checkout
                repository: acme/checkout
                branch: main

        """;

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        { GitHub.Replace("https://token.actions", "http://token.actions"), DiagnosticCodes.InvalidCiIssuerUrl, "issuer 'http://token.actions.githubusercontent.com' must be an https URL", 8, 13 },
        { GitHub.Replace("githubusercontent.com", "githubusercontent.com?x=1"), DiagnosticCodes.InvalidCiIssuerUrl, "without query or fragment", 8, 13 },
        { GitHub + "  - name: github2\n    issuer: https://token.actions.githubusercontent.com\n    audience: a\n    rules: []\n", DiagnosticCodes.DuplicateCiIssuer, "is trusted twice (first on line 8)", 16, 13 },
        { GitHub + "  - name: github\n    issuer: https://gitlab.com\n    audience: a\n    rules: []\n", DiagnosticCodes.DuplicateCiIssuer, "'github' is defined twice", 15, 11 },
        { GitHub.Replace("app: checkout", "app: Checkout"), DiagnosticCodes.InvalidCiName, "app name 'Checkout' is invalid", 12, 14 },
        { GitHub + "      - name: checkout-main\n        app: shop\n        repository: acme/shop\n", DiagnosticCodes.DuplicateCiRule, "'checkout-main' is defined twice", 15, 15 },
        { GitHub.Replace("branch: main", "branch: re*lease"), DiagnosticCodes.InvalidCiRulePattern, "branch 're*lease' is not a value to match", 14, 17 },
        { GitHub.Replace("branch: main", "branch: '*'"), DiagnosticCodes.InvalidCiRulePattern, "a prefix ending in '*'", 14, 17 },
        { GitHub.Replace("        repository: acme/checkout\n", ""), DiagnosticCodes.OrganisationMissingKey, "a CI rule is missing 'repository'", 11, 9 },
        { GitHub.Replace("    audience: https://gatehouse.acme.example\n", ""), DiagnosticCodes.OrganisationMissingKey, "a CI issuer is missing 'audience'", 7, 5 },
        { GitHub.Replace("branch: main", "brunch: main"), DiagnosticCodes.OrganisationUnknownKey, "unknown key 'brunch' in a CI rule; did you mean 'branch'?", 14, 9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_IsReportedWithCodeMessageAndPosition(string yaml, string code, string fragment, int line, int column)
    {
        var result = Organisation(yaml);

        var finding = AssertFinding(result.Diagnostics, code, fragment, line, column);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Null(result.Value);
    }

    [Fact]
    public void ValidIssuer_IsRead_AndAFileWithoutOneTrustsNoCi()
    {
        var issuer = Assert.Single(Organisation(GitHub).Value!.CiIssuers);

        Assert.Equal(("github", "https://token.actions.githubusercontent.com", "https://gatehouse.acme.example", (string?)null), (issuer.Name, issuer.Issuer, issuer.Audience, issuer.JwksUri));
        Assert.Equal(new CiRule("checkout-main", "checkout", "acme/checkout", "main", null, null, issuer.Rules[0].Location), issuer.Rules[0]);
        Assert.Empty(Organisation(Head).Value!.CiIssuers);
    }

    [Theory]
    [InlineData("refs/heads/main", null, "main", "refs/heads/main")]
    [InlineData("refs/tags/v1.2", null, null, "refs/tags/v1.2")]
    [InlineData("main", "branch", "main", "refs/heads/main")]
    [InlineData("v1.2", "tag", null, "refs/tags/v1.2")]
    public void GitHubAndGitLabRefs_AreReadAsBranchAndFullRef(string @ref, string? refType, string? branch, string fullRef)
    {
        var claims = CiRunClaims.From(name => name switch { "ref" => @ref, "ref_type" => refType, _ => null });

        Assert.Equal((branch, fullRef), (claims.Branch, claims.Ref));
    }

    [Fact]
    public void NoRuleMatching_NamesTheRuleThatMatchedMostConditions()
    {
        var issuer = Organisation(GitHub + "      - name: release\n        app: checkout\n        repository: acme/checkout\n        branch: release/*\n        environment: production\n").Value!.CiIssuers[0];

        var onRelease = CiRuleMatch.Find(issuer, new CiRunClaims("ACME/Checkout", "refs/heads/release/1", "release/1", "production", "bob"));
        var wrongEnvironment = CiRuleMatch.Find(issuer, new CiRunClaims("acme/checkout", "refs/heads/release/1", "release/1", "staging", "bob"));

        Assert.Equal("release", onRelease.Rule!.Name);
        Assert.Null(wrongEnvironment.Rule);
        Assert.Equal("release", wrongEnvironment.Closest!.Name);
        Assert.Equal("environment is `staging`, the rule wants `production`", wrongEnvironment.Mismatch);
    }
}
