using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Organisations;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Organisations;

/// <summary>Every organisation file rule: code, message and position.</summary>
public sealed class OrganisationRuleTests
{
    // Lines 1-5; what a case adds starts on line 6.
    private const string Head = "apiVersion: gatehouse/v1\norganisation: acme\nadmins: [alice]\nenvironments:\n  - name: production\n";

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        { Head.Replace("gatehouse/v1", "gatehouse/v0"), DiagnosticCodes.OrganisationApiVersion, "apiVersion 'gatehouse/v0' is not supported", 1, 13 },
        { "organisation: acme\nadmins: [alice]\nenvironments:\n  - name: production\n", DiagnosticCodes.OrganisationMissingKey, "the organisation file is missing 'apiVersion'", 1, 1 },
        { "apiVersion: gatehouse/v1\norganisation: acme\nadmins: [alice]\n", DiagnosticCodes.OrganisationMissingKey, "the organisation file is missing 'environments'", 1, 1 },
        { Head + "teams:\n  - name: payments\n", DiagnosticCodes.OrganisationMissingKey, "a team is missing 'members'", 7, 5 },
        { Head + "  - approval: auto\n", DiagnosticCodes.OrganisationMissingKey, "an environment is missing 'name'", 6, 5 },
        { Head + "team:\n  - name: payments\n", DiagnosticCodes.OrganisationUnknownKey, "unknown key 'team' in the organisation file; did you mean 'teams'?", 6, 1 },
        { Head + "app: billing\n", DiagnosticCodes.OrganisationUnknownKey, "belong in the app's gatehouse.yaml", 6, 1 },
        { Head + "    aproval: auto\n", DiagnosticCodes.OrganisationUnknownKey, "unknown key 'aproval' in an environment; did you mean 'approval'?", 6, 5 },
        { Head + "teams:\n  - name: payments\n    member: [alice]\n", DiagnosticCodes.OrganisationUnknownKey, "did you mean 'members'?", 8, 5 },
        { Head.Replace("admins: [alice]", "admins: alice"), DiagnosticCodes.OrganisationWrongType, "admins must be a list, e.g. [alice, bob], not text", 3, 9 },
        { Head + "teams: payments\n", DiagnosticCodes.OrganisationWrongType, "teams must be a list", 6, 8 },
        { Head.Replace("organisation: acme", "organisation: ACME Corp"), DiagnosticCodes.InvalidOrganisationName, "organisation name 'ACME Corp' is invalid: use 2-63 lowercase letters, digits and single hyphens, starting with a letter (e.g. billing, order-history); did you mean 'acme-corp'?", 2, 15 },
        { Head.Replace("[alice]", "[alice, Bob]"), DiagnosticCodes.InvalidUserName, "user name 'Bob' is invalid: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit; did you mean 'bob'?", 3, 17 },
        { Head.Replace("[alice]", "[user:alice]"), DiagnosticCodes.InvalidUserName, "write the bare name 'alice' here", 3, 10 },
        { Head.Replace("[alice]", "[]"), DiagnosticCodes.OrganisationEmptyList, "admins is empty", 3, 9 },
        { "apiVersion: gatehouse/v1\norganisation: acme\nadmins: [alice]\nenvironments: []\n", DiagnosticCodes.OrganisationEmptyList, "environments is empty", 4, 15 },
        { Head + "teams:\n  - name: payments\n    members: []\n", DiagnosticCodes.OrganisationEmptyList, "members is empty", 8, 14 },
        { Head + "  - name: Staging\n", DiagnosticCodes.InvalidEnvironmentName, "name 'Staging' is invalid: use 1-32 lowercase letters, digits and single hyphens, starting with a letter (e.g. staging); did you mean 'staging'?", 6, 11 },
        { Head + "  - name: production\n", DiagnosticCodes.DuplicateEnvironment, "'production' is defined twice (first on line 5); keep one", 6, 11 },
        { Head + "    approval: always\n", DiagnosticCodes.UnknownEnvironmentApproval, "environment approval 'always' is not known; use scope, auto, owner or two-owners", 6, 15 },
        { Head + "    approval: owners\n", DiagnosticCodes.UnknownEnvironmentApproval, "did you mean 'owner'?", 6, 15 },
        { Head + "teams:\n  - name: pay_ments\n    members: [alice]\n", DiagnosticCodes.InvalidTeamName, "name 'pay_ments' is invalid", 7, 11 },
        { Head + "teams:\n  - name: payments\n    members: [alice]\n  - name: payments\n    members: [bob]\n", DiagnosticCodes.DuplicateTeam, "'payments' is defined twice (first on line 7)", 9, 11 },
        { Head.Replace("[alice]", "[alice, alice]"), DiagnosticCodes.OrganisationDuplicateItem, "admin 'alice' is listed twice in admins", 3, 17 },
        { Head + "    description: " + new string('d', 1200) + "\n", DiagnosticCodes.OrganisationTextTooLong, "description is 1200 characters long", 6, 18 },
        { Head + "    maxGrantDays: -5\n", DiagnosticCodes.InvalidEnvironmentMaxGrantDays, "maxGrantDays '-5' of an environment is not a whole number of days from 1 to 3650", 6, 19 },
        { Head + "    promotion: staging\n", DiagnosticCodes.PromotionUnknownEnvironment, "promotion of 'production' names 'staging', which is not an environment of this file; use one of production", 6, 16 },
        { Head + "    promotion: staging\n  - name: stagin\n", DiagnosticCodes.PromotionUnknownEnvironment, "did you mean 'stagin'?", 6, 16 },
        { Head + "    promotion: production\n", DiagnosticCodes.PromotionUnknownEnvironment, "cannot require promotion from itself", 6, 16 },
        { Head + "    promotion: staging\n  - name: staging\n    promotion: production\n", DiagnosticCodes.PromotionCycle, "promotions go round in a circle (production after staging after production)", 6, 16 },
        { Head + "    reviews:\n      deadlineDays: 14\n", DiagnosticCodes.InvalidReviewPolicy, "reviews needs 'everyDays'", 7, 7 },
        { Head + "    reviews:\n      everyDays: 0\n", DiagnosticCodes.InvalidReviewPolicy, "everyDays '0' is not a whole number of days from 1 to 3650", 7, 18 },
        { Head + "    reviews:\n      everyDays: 90\n      unconfirmed: delete\n", DiagnosticCodes.InvalidReviewPolicy, "unconfirmed 'delete' is not known; use report", 8, 20 },
        { Head + "    freezes:\n      - from: 2026-12-20\n", DiagnosticCodes.InvalidFreeze, "a freeze needs both 'from' and 'until'", 7, 9 },
        { Head + "    freezes:\n      - from: 2026-12-20\n        until: 2026-12-01\n", DiagnosticCodes.InvalidFreeze, "the freeze ends (2026-12-01) before it starts (2026-12-20)", 7, 9 },
        { Head + "    freezes:\n      - from: 20-12-2026\n        until: 2026-12-31\n", DiagnosticCodes.InvalidFreeze, "from '20-12-2026' of a freeze is not a date; write it as YYYY-MM-DD", 7, 15 },
        { Head + "    freezes:\n      - from: 2026-12-20\n        until: 2026-12-31\n        reson: year end\n", DiagnosticCodes.OrganisationUnknownKey, "did you mean 'reason'?", 9, 9 },
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
    public void Environment_policies_are_read_with_their_values()
    {
        var result = Organisation(Head + "    approval: two-owners\n    promotion: staging\n    freezes:\n      - from: 2026-12-20\n        until: 2027-01-04\n        reason: year-end freeze\n  - name: staging\n");

        Assert.Empty(result.Diagnostics);
        var production = result.Value!.Environments[0];
        Assert.Equal(EnvironmentApproval.TwoOwners, production.Approval);
        Assert.Equal("staging", production.Promotion);
        var freeze = Assert.Single(production.Freezes);
        Assert.Equal((new DateOnly(2026, 12, 20), new DateOnly(2027, 1, 4), "year-end freeze"), (freeze.From, freeze.Until, freeze.Reason));
        Assert.NotNull(production.FrozenAt(new DateTimeOffset(2027, 1, 4, 23, 59, 59, TimeSpan.Zero)));
        Assert.Null(production.FrozenAt(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(production.FrozenAt(new DateTimeOffset(2026, 12, 19, 23, 59, 59, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(Core.Manifests.ApprovalMode.Auto, EnvironmentApproval.TwoOwners, Core.Manifests.ApprovalMode.TwoOwners)]
    [InlineData(Core.Manifests.ApprovalMode.Owner, EnvironmentApproval.TwoOwners, Core.Manifests.ApprovalMode.TwoOwners)]
    [InlineData(Core.Manifests.ApprovalMode.Auto, EnvironmentApproval.Scope, Core.Manifests.ApprovalMode.Auto)]
    public void Two_owners_on_an_environment_applies_to_every_scope(Core.Manifests.ApprovalMode scope, EnvironmentApproval environment, Core.Manifests.ApprovalMode expected) =>
        Assert.Equal(expected, OrganisationFile.EffectiveApproval(scope, environment));

    [Fact]
    public void Minimal_organisation_file_needs_no_teams()
    {
        var result = Organisation(Head);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Value!.Teams);
        Assert.Equal(EnvironmentApproval.Scope, result.Value.Environments[0].Approval);
    }
}
