using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Notifications;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Organisations;

/// <summary><c>notify</c> on teams and environments (docs/notifications.md): what it reads and every rule with its position.</summary>
public sealed class NotificationTargetRuleTests
{
    // Lines 1-13; a case replaces from there.
    private const string File = """
        apiVersion: gatehouse/v1
        organisation: acme
        admins: [alice]
        environments:
          - name: production
            notify:
              - kind: email
                to: [oncall@acme.example]
        teams:
          - name: payments
            members: [alice]
            notify:
              - name: hook
                kind: webhook
                url: https://hooks.acme.example/gatehouse
                secretEnv: GATEHOUSE_HOOK_PAYMENTS
              - kind: slack
                urlEnv: GATEHOUSE_SLACK_PAYMENTS
                digest: daily

        """;

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        { File.Replace("kind: slack", "kind: slak"), DiagnosticCodes.UnknownNotificationKind, "notification kind 'slak' is not known; use webhook, slack, teams or email; did you mean 'slack'?", 17, 15 },
        { File.Replace("url: https://hooks.acme.example/gatehouse", "url: hooks.acme.example"), DiagnosticCodes.InvalidNotificationUrl, "url 'hooks.acme.example' is not an absolute http or https URL", 15, 14 },
        { File.Replace("secretEnv: GATEHOUSE_HOOK_PAYMENTS", "secretEnv: whsec_abc"), DiagnosticCodes.InvalidNotificationEnv, "secretEnv 'whsec_abc' is not an environment variable name", 16, 20 },
        { File.Replace("to: [oncall@acme.example]", "to: [oncall]"), DiagnosticCodes.InvalidNotificationAddress, "'oncall' is not an e-mail address", 8, 14 },
        { File.Replace("digest: daily", "digest: weekly"), DiagnosticCodes.UnknownNotificationDigest, "digest 'weekly' is not known; use immediate, daily or muted", 19, 17 },
        { File.Replace("urlEnv: GATEHOUSE_SLACK_PAYMENTS", "urlEnv: GATEHOUSE_SLACK_PAYMENTS\n        to: [a@acme.example]"), DiagnosticCodes.NotificationKeyNotForKind, "'to' is for email targets, not slack; remove it", 19, 13 },
        { File.Replace("      - kind: slack", "      - name: hook\n        kind: slack"), DiagnosticCodes.DuplicateNotificationTarget, "notification target 'hook' of team payments is defined twice (first on line 13)", 17, 9 },
        { File.Replace("name: hook", "name: Hook"), DiagnosticCodes.InvalidNotificationTargetName, "name 'Hook' is invalid", 13, 15 },
        { File.Replace("        secretEnv: GATEHOUSE_HOOK_PAYMENTS\n", ""), DiagnosticCodes.OrganisationMissingKey, "a webhook target is missing 'secretEnv'", 13, 9 },
        { File.Replace("        urlEnv: GATEHOUSE_SLACK_PAYMENTS\n", ""), DiagnosticCodes.OrganisationMissingKey, "a slack target is missing 'urlEnv'", 17, 9 },
        { File.Replace("kind: email", "kin: email"), DiagnosticCodes.OrganisationUnknownKey, "unknown key 'kin' in a notification target; did you mean 'kind'?", 7, 9 },
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
    public void Targets_AreRead_WithSecretsOnlyByVariableName()
    {
        var organisation = Organisation(File).Value!;

        var team = Assert.Single(organisation.Teams);
        Assert.Equal(
            [("hook", NotificationKind.Webhook, "https://hooks.acme.example/gatehouse", "GATEHOUSE_HOOK_PAYMENTS", (string?)null, NotificationDigest.Immediate),
             ("slack", NotificationKind.Slack, null, null, "GATEHOUSE_SLACK_PAYMENTS", NotificationDigest.Daily)],
            team.Notify.Select(t => (t.Name, t.Kind, t.Url, t.SecretEnv, t.UrlEnv, t.Digest)));
        var email = Assert.Single(organisation.Environments[0].Notify);
        Assert.Equal(["oncall@acme.example"], email.To);
        Assert.Equal(NotificationKind.Email, email.Kind);
    }

    [Fact]
    public void Routing_ReachesOwnerTeams_TeamsOfThePeopleConcerned_AndTheEnvironment_ButNotMutedTargets()
    {
        var organisation = Organisation(File.Replace("digest: daily", "digest: muted")).Value!;

        Assert.Equal(["team:payments/hook"], NotificationRouting.Targets(organisation, ["payments"], [], []).Select(t => t.Id));
        Assert.Equal(["team:payments/hook"], NotificationRouting.Targets(organisation, [], ["alice"], []).Select(t => t.Id));
        Assert.Equal(["environment:production/email"], NotificationRouting.Targets(organisation, ["crm"], ["bob"], ["production"]).Select(t => t.Id));
        Assert.Equal(NotificationKind.Email, NotificationRouting.Find(organisation, "environment:production/email")!.Kind);
        Assert.Null(NotificationRouting.Find(organisation, "team:payments/gone"));
    }
}
