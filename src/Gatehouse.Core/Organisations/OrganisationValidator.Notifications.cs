using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

internal sealed partial class OrganisationValidator
{
    private static readonly string[] TargetKeys = ["name", "kind", "url", "secretEnv", "urlEnv", "to", "digest"];
    private static readonly string[] TargetKinds = ["webhook", "slack", "teams", "email"];
    private static readonly string[] Digests = ["immediate", "daily", "muted"];

    // The `notify` list of a team or an environment (docs/notifications.md).
    private List<NotificationTarget> ReadTargets(YamlNode value, string owner)
    {
        if (check.List(value, $"notify of {owner}", "'- kind: webhook'") is not { } list)
        {
            return [];
        }

        var targets = new List<NotificationTarget>(list.Items.Count);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each notification target") is not { } map)
            {
                continue;
            }

            if (ReadTarget(map, owner) is { } target)
            {
                if (lines.TryGetValue(target.Name, out var first))
                {
                    check.Error(DiagnosticCodes.DuplicateNotificationTarget, map,
                        $"notification target '{target.Name}' of {owner} is defined twice (first on line {first}); give each a different 'name'");
                    continue;
                }

                lines.Add(target.Name, map.Line);
                targets.Add(target);
            }
        }

        return targets;
    }

    private NotificationTarget? ReadTarget(YamlMapping map, string owner)
    {
        string? name = null, url = null, secretEnv = null, urlEnv = null;
        NotificationKind? kind = null;
        YamlNode? urlNode = null, secretNode = null, urlEnvNode = null, toNode = null;
        List<string> to = [];
        var digest = NotificationDigest.Immediate;
        var errors = check.HasErrors;
        foreach (var (key, field) in map.Entries)
        {
            switch (key.Value)
            {
                case "name": name = TargetName(field); break;
                case "kind": kind = TargetKind(field); break;
                case "url": (url, urlNode) = (check.Text(field, "url"), field); break;
                case "secretEnv": (secretEnv, secretNode) = (EnvName(field, "secretEnv"), field); break;
                case "urlEnv": (urlEnv, urlEnvNode) = (EnvName(field, "urlEnv"), field); break;
                case "to": (to, toNode) = (Addresses(field), field); break;
                case "digest": digest = Digest(field); break;
                default: check.UnknownKey(key, "a notification target", TargetKeys); break;
            }
        }

        if (!HasKey(map, "kind"))
        {
            check.Missing(map, "a notification target", "kind", "say how it is reached: webhook, slack, teams or email");
            return null;
        }

        if (kind is not { } k)
        {
            return null;
        }

        switch (k)
        {
            case NotificationKind.Webhook:
                if (urlNode is null)
                {
                    check.Missing(map, "a webhook target", "url", "give the receiver's URL, e.g. 'url: https://hooks.acme.example/gatehouse'");
                }
                else if (url is not null && !IsHttpUrl(url))
                {
                    check.Error(DiagnosticCodes.InvalidNotificationUrl, urlNode, $"url '{url}' is not an absolute http or https URL");
                }

                if (secretNode is null)
                {
                    check.Missing(map, "a webhook target", "secretEnv", "name the variable holding the signing secret, e.g. 'secretEnv: GATEHOUSE_HOOK_PAYMENTS'");
                }

                break;
            case NotificationKind.Slack or NotificationKind.Teams:
                if (urlEnvNode is null)
                {
                    check.Missing(map, $"a {Kind(k)} target", "urlEnv", "name the variable holding the incoming webhook URL, e.g. 'urlEnv: GATEHOUSE_SLACK_PAYMENTS'");
                }

                break;
            case NotificationKind.Email:
                if (toNode is null)
                {
                    check.Missing(map, "an email target", "to", "list the addresses, e.g. 'to: [payments@acme.example]'");
                }

                break;
        }

        Unused(k, NotificationKind.Webhook, urlNode, "url");
        Unused(k, NotificationKind.Webhook, secretNode, "secretEnv");
        Unused(k, NotificationKind.Email, toNode, "to");
        if (urlEnvNode is not null && k is not (NotificationKind.Slack or NotificationKind.Teams))
        {
            check.Error(DiagnosticCodes.NotificationKeyNotForKind, urlEnvNode, $"'urlEnv' is for slack and teams targets, not {Kind(k)}; remove it");
        }

        return check.HasErrors && !errors ? null
            : new NotificationTarget(name ?? Kind(k), k, url, secretEnv, urlEnv, to, digest, map.At(check.File));
    }

    private void Unused(NotificationKind kind, NotificationKind expected, YamlNode? node, string key)
    {
        if (node is not null && kind != expected)
        {
            check.Error(DiagnosticCodes.NotificationKeyNotForKind, node, $"'{key}' is for {Kind(expected)} targets, not {Kind(kind)}; remove it");
        }
    }

    private static string Kind(NotificationKind kind) => TargetKinds[(int)kind];

    private string? TargetName(YamlNode value)
    {
        var name = check.Text(value, "notification target name");
        if (name is not null && !NameRules.IsTeamName(name))
        {
            check.Error(DiagnosticCodes.InvalidNotificationTargetName, value, $"name '{name}' is invalid: {NameHints.AppRule}{NameHints.Corrected(name, NameRules.IsTeamName)}");
            return null;
        }

        return name;
    }

    private NotificationKind? TargetKind(YamlNode value)
    {
        var text = check.Text(value, "kind");
        var index = text is null ? -1 : Array.IndexOf(TargetKinds, text);
        if (text is not null && index < 0)
        {
            check.Error(DiagnosticCodes.UnknownNotificationKind, value,
                $"notification kind '{text}' is not known; use webhook, slack, teams or email{Suggestions.DidYouMean(text, TargetKinds)}");
        }

        return index < 0 ? null : (NotificationKind)index;
    }

    private NotificationDigest Digest(YamlNode value)
    {
        var text = check.Text(value, "digest");
        var index = text is null ? 0 : Array.IndexOf(Digests, text);
        if (index < 0)
        {
            check.Error(DiagnosticCodes.UnknownNotificationDigest, value,
                $"digest '{text}' is not known; use immediate, daily or muted{Suggestions.DidYouMean(text!, Digests)}");
            return NotificationDigest.Immediate;
        }

        return (NotificationDigest)index;
    }

    private string? EnvName(YamlNode value, string what)
    {
        var name = check.Text(value, what);
        if (name is not null && (name.Length == 0 || !name.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_') || char.IsAsciiDigit(name[0])))
        {
            check.Error(DiagnosticCodes.InvalidNotificationEnv, value,
                $"{what} '{name}' is not an environment variable name (capital letters, digits and underscores); the secret itself never goes in the file");
            return null;
        }

        return name;
    }

    private List<string> Addresses(YamlNode value)
    {
        if (check.TextList(value, "to", "[payments@acme.example]", "address") is not { } items)
        {
            return [];
        }

        var addresses = new List<string>(items.Count);
        foreach (var item in items)
        {
            var at = item.Value.IndexOf('@');
            if (at <= 0 || at == item.Value.Length - 1 || item.Value.Any(char.IsWhiteSpace) || item.Value.IndexOf('@', at + 1) >= 0)
            {
                check.Error(DiagnosticCodes.InvalidNotificationAddress, item.Node, $"'{item.Value}' is not an e-mail address (name@domain)");
                continue;
            }

            addresses.Add(item.Value);
        }

        return addresses;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;
}
