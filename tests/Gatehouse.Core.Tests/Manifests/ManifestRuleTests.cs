using Gatehouse.Core.Diagnostics;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Manifests;

/// <summary>Every manifest rule: its code, what the message says, and exactly where it points.</summary>
public sealed class ManifestRuleTests
{
    // Lines 1-3 of every case; what a case adds starts on line 4.
    private const string Head = "apiVersion: gatehouse/v1\napp: billing\nowners: [user:alice]\n";

    private const string Need = "needs:\n  - app: customers\n    scopes: [profile.read]\n    reason: Show names\n";

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        // GH0009 duplicate key, at the second key, naming the first's line
        { Head + "app: other\n", DiagnosticCodes.DuplicateKey, "duplicate key 'app' (first defined on line 2)", 4, 1 },
        // GH1001
        { "apiVersion: gatehouse/v2\napp: billing\nowners: [user:alice]\n", DiagnosticCodes.ManifestApiVersion, "apiVersion 'gatehouse/v2' is not supported; this version of gatehouse reads 'gatehouse/v1'", 1, 13 },
        // GH1002
        { "app: billing\nowners: [user:alice]\n", DiagnosticCodes.ManifestMissingKey, "the manifest is missing 'apiVersion': add 'apiVersion: gatehouse/v1'", 1, 1 },
        { "apiVersion: gatehouse/v1\nowners: [user:alice]\n", DiagnosticCodes.ManifestMissingKey, "the manifest is missing 'app'", 1, 1 },
        { "apiVersion: gatehouse/v1\napp: billing\n", DiagnosticCodes.ManifestMissingKey, "the manifest is missing 'owners'", 1, 1 },
        { Head + "scopes:\n  - description: Read invoices\n", DiagnosticCodes.ManifestMissingKey, "a scope is missing 'name'", 5, 5 },
        { Head + "needs:\n  - scopes: [profile.read]\n    reason: Show names\n", DiagnosticCodes.ManifestMissingKey, "a need is missing 'app'", 5, 5 },
        { Head + "needs:\n  - app: customers\n    reason: Show names\n", DiagnosticCodes.ManifestMissingKey, "a need is missing 'scopes'", 5, 5 },
        // GH1003
        { Head + "descripton: Invoices\n", DiagnosticCodes.ManifestUnknownKey, "unknown key 'descripton' in the manifest; did you mean 'description'?", 4, 1 },
        { Head + "colour: blue\n", DiagnosticCodes.ManifestUnknownKey, "unknown key 'colour' in the manifest; expected one of: apiVersion, app, description, owners, scopes, needs", 4, 1 },
        { Head + "organisation: acme\n", DiagnosticCodes.ManifestUnknownKey, "belong in gatehouse.org.yaml", 4, 1 },
        { Head + "scopes:\n  - name: invoices.read\n    aproval: auto\n", DiagnosticCodes.ManifestUnknownKey, "unknown key 'aproval' in a scope; did you mean 'approval'?", 6, 5 },
        { Head + Need + "    env: [staging]\n", DiagnosticCodes.ManifestUnknownKey, "unknown key 'env' in a need; did you mean 'environments'?", 8, 5 },
        { Head + "scopes:\n  - name: a\n    deprecated:\n      replaceBy: b\n", DiagnosticCodes.ManifestUnknownKey, "did you mean 'replacedBy'?", 7, 7 },
        // GH1004
        { Head.Replace("owners: [user:alice]", "owners: team:payments"), DiagnosticCodes.ManifestWrongType, "owners must be a list, e.g. [team:payments, user:alice], not text", 3, 9 },
        { Head + "scopes:\n  name: invoices.read\n", DiagnosticCodes.ManifestWrongType, "scopes must be a list, e.g. '- name: invoices.read', not a mapping", 5, 3 },
        { Head + "scopes:\n  - invoices.read\n", DiagnosticCodes.ManifestWrongType, "each scope must be a mapping of keys and values, not text", 5, 5 },
        { Head + "description: [a, b]\n", DiagnosticCodes.ManifestWrongType, "description must be text, not a list", 4, 14 },
        { Head + "description: ~\n", DiagnosticCodes.ManifestWrongType, "description has no value; expected text", 4, 14 },
        { "- apiVersion: gatehouse/v1\n", DiagnosticCodes.ManifestWrongType, "a manifest must be a mapping of keys and values, not a list", 1, 1 },
        { Head + "needs:\n  - app: customers\n    scopes: [[profile.read]]\n    reason: x\n", DiagnosticCodes.ManifestWrongType, "each scope in scopes must be text, not a list", 6, 14 },
        // GH1005
        { Head.Replace("app: billing", "app: Billing_Service"), DiagnosticCodes.InvalidAppName, "app name 'Billing_Service' is invalid: use 2-63 lowercase letters, digits and single hyphens, starting with a letter (e.g. billing, order-history); did you mean 'billing-service'?", 2, 6 },
        { Head + Need.Replace("app: customers", "app: c"), DiagnosticCodes.InvalidAppName, "app name 'c' is invalid", 5, 10 },
        // GH1006
        { Head + "scopes:\n  - name: Invoices..read\n", DiagnosticCodes.InvalidScopeName, "scope name 'Invoices..read' is invalid: use dot-separated words", 5, 11 },
        { Head + Need.Replace("[profile.read]", "[profile.read, profile:write]"), DiagnosticCodes.InvalidScopeName, "scope name 'profile:write' is invalid", 6, 28 },
        // GH1007
        { Head.Replace("[user:alice]", "[alice]"), DiagnosticCodes.InvalidOwner, "owner 'alice' is invalid: write 'team:NAME' or 'user:NAME'; did you mean 'user:alice' or 'team:alice'?", 3, 10 },
        { Head.Replace("[user:alice]", "[user:alice, team:Payments]"), DiagnosticCodes.InvalidOwner, "owner 'team:Payments' is invalid: team name 'Payments' is invalid", 3, 22 },
        { Head.Replace("[user:alice]", "[group:ops]"), DiagnosticCodes.InvalidOwner, "owner 'group:ops' is invalid: write 'team:NAME' or 'user:NAME'", 3, 10 },
        // GH1008
        { Head.Replace("[user:alice]", "[]"), DiagnosticCodes.ManifestEmptyList, "owners is empty; list at least one", 3, 9 },
        { Head + Need.Replace("[profile.read]", "[]"), DiagnosticCodes.ManifestEmptyList, "scopes is empty", 6, 13 },
        { Head + Need + "    environments: []\n", DiagnosticCodes.ManifestEmptyList, "environments is empty", 8, 19 },
        // GH1009
        { Head + "scopes:\n  - name: invoices.read\n  - name: invoices.write\n  - name: invoices.read\n", DiagnosticCodes.DuplicateScope, "scope 'invoices.read' is declared twice (first on line 5); keep one", 7, 11 },
        // GH1010
        { Head + "scopes:\n  - name: invoices.write\n    approval: two_owners\n", DiagnosticCodes.UnknownScopeApproval, "approval 'two_owners' is not known; use owner, two-owners or auto; did you mean 'two-owners'?", 6, 15 },
        // GH1011
        { Head + "needs:\n  - app: customers\n    scopes: [profile.read]\n", DiagnosticCodes.NeedWithoutReason, "a need is missing 'reason': say why this app needs access to 'customers'", 5, 5 },
        { Head + Need.Replace("reason: Show names", "reason: \"  \""), DiagnosticCodes.NeedWithoutReason, "reason is blank", 7, 13 },
        { Head + Need.Replace("reason: Show names", "reason:"), DiagnosticCodes.NeedWithoutReason, "reason is blank: say why this app needs access to 'customers'", 7, 12 },
        // GH1012
        { Head + Need.Replace("app: customers", "app: billing"), DiagnosticCodes.NeedOfItself, "app 'billing' cannot need itself", 5, 10 },
        // GH1013
        { Head + Need.Replace("[profile.read]", "[profile.read, profile.read]"), DiagnosticCodes.ManifestDuplicateItem, "scope 'profile.read' is listed twice in scopes", 6, 28 },
        { Head.Replace("[user:alice]", "[user:alice, user:alice]"), DiagnosticCodes.ManifestDuplicateItem, "owner 'user:alice' is listed twice", 3, 22 },
        { Head + Need + "    environments: [staging, staging]\n", DiagnosticCodes.ManifestDuplicateItem, "environment 'staging' is listed twice", 8, 29 },
        // GH1014
        { Head + Need + "  - app: customers\n    scopes: [profile.write]\n    reason: Edit names\n", DiagnosticCodes.DuplicateNeed, "app 'customers' is needed twice (first on line 5); merge the two entries into one", 8, 10 },
        // GH1015
        { Head + "scopes:\n  - name: invoices.read\n  - name: invoices.old\n    deprecated:\n      replacedBy: invoices.reed\n", DiagnosticCodes.UnknownReplacement, "replacedBy 'invoices.reed' is not a scope of this app; did you mean 'invoices.read'?", 8, 19 },
        { Head + "scopes:\n  - name: invoices.old\n    deprecated:\n      replacedBy: invoices.old\n", DiagnosticCodes.UnknownReplacement, "cannot be replaced by itself", 7, 19 },
        // GH1017 (GH1016 needs an organisation file: see below)
        { Head + Need + "    environments: [Production]\n", DiagnosticCodes.InvalidNeedEnvironment, "environment name 'Production' is invalid: use 1-32 lowercase letters, digits and single hyphens, starting with a letter (e.g. staging); did you mean 'production'?", 8, 20 },
        // GH1018
        { Head + "scopes:\n  - name: invoices.old\n    deprecated: true\n", DiagnosticCodes.InvalidDeprecation, "deprecated takes a message saying what to use instead, not 'true'", 6, 17 },
        { Head + "scopes:\n  - name: invoices.old\n    deprecated: {}\n", DiagnosticCodes.InvalidDeprecation, "deprecated needs a message or replacedBy", 6, 17 },
        { Head + "scopes:\n  - name: invoices.old\n    deprecated: \" \"\n", DiagnosticCodes.InvalidDeprecation, "the deprecation message is blank", 6, 17 },
        // GH1021
        { Head + "scopes:\n  - name: invoices.write\n    maxGrantDays: 0\n", DiagnosticCodes.InvalidMaxGrantDays, "maxGrantDays '0' of scope 'invoices.write' is not a whole number of days from 1 to 3650", 6, 19 },
        { Head + "scopes:\n  - name: invoices.write\n    maxGrantDays: 6 months\n", DiagnosticCodes.InvalidMaxGrantDays, "write e.g. 'maxGrantDays: 180'", 6, 19 },
        { Head + "scopes:\n  - name: invoices.write\n    maxGrantDays: 3651\n", DiagnosticCodes.InvalidMaxGrantDays, "from 1 to 3650", 6, 19 },
        // GH1022
        { Head + Need + "    until: 2027-02-30\n", DiagnosticCodes.InvalidNeedUntil, "until '2027-02-30' of a need is not a date; write it as YYYY-MM-DD, e.g. 'until: 2027-03-31'", 8, 12 },
        { Head + Need + "    until: 31.03.2027\n", DiagnosticCodes.InvalidNeedUntil, "is not a date", 8, 12 },
        // GH1019
        { Head + "description: " + new string('x', 1001) + "\n", DiagnosticCodes.ManifestTextTooLong, "description is 1001 characters long; the limit is 1000", 4, 14 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_IsReportedWithCodeMessageAndPosition(string yaml, string code, string fragment, int line, int column)
    {
        var result = Manifest(yaml);

        var finding = AssertFinding(result.Diagnostics, code, fragment, line, column);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("gatehouse.yaml", finding.Location.File);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Environment_not_defined_by_the_organisation_file_is_an_error_with_a_suggestion()
    {
        var result = Manifest(Head + Need + "    environments: [staging, prod]\n", Acme());

        AssertOnly(result.Diagnostics, DiagnosticCodes.UndefinedEnvironment,
            "environment 'prod' is not defined by the organisation file (it defines: development, staging, production); did you mean 'production'?", 8, 29);
    }

    [Fact]
    public void Environments_are_not_checked_against_anything_without_an_organisation_file()
    {
        var result = Manifest(Head + Need + "    environments: [anything-goes]\n");

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("scopes:\n  - name: invoices.read\n    approval: two-owners\n", 5, 11)]
    [InlineData("scopes:\n  - name: invoices.read\n    description: Read invoices\n  - name: invoices.write\n    description: \"  \"\n", 7, 11)]
    public void A_scope_without_a_description_is_a_warning_at_its_name(string scopes, int line, int column)
    {
        var result = Manifest(Head + scopes);

        var finding = AssertOnly(result.Diagnostics, DiagnosticCodes.ScopeWithoutDescription, "has no description; say what it grants", line, column);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.NotNull(result.Value);
    }

    [Fact]
    public void A_scope_with_a_description_gets_no_finding()
    {
        var result = Manifest(Head + "scopes:\n  - name: invoices.read\n    description: Read invoices\n");

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Validation_reports_every_problem_in_the_file_not_just_the_first()
    {
        var result = Manifest("""
            apiVersion: gatehouse/v1
            app: Billing
            owners: [alice]
            scopes:
              - name: Bad Name
                approval: sometimes
              - description: nameless
            needs:
              - app: billing
                scopes: []
            colour: blue
            """);

        Assert.Equal(
            [
                (2, DiagnosticCodes.InvalidAppName), (3, DiagnosticCodes.InvalidOwner), (5, DiagnosticCodes.InvalidScopeName),
                (6, DiagnosticCodes.UnknownScopeApproval), (7, DiagnosticCodes.ManifestMissingKey),
                (9, DiagnosticCodes.NeedWithoutReason), (10, DiagnosticCodes.ManifestEmptyList), (11, DiagnosticCodes.ManifestUnknownKey),
            ],
            result.Diagnostics.Select(d => (d.Location.Line, d.Code)));
    }
}
