using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

internal sealed partial class OrganisationValidator
{
    private static readonly string[] TeamKeys = ["name", "description", "members", "notify"];

    private List<TeamDefinition> ReadTeams(YamlNode value)
    {
        if (check.List(value, "teams", "'- name: payments'") is not { } list)
        {
            return [];
        }

        var teams = new List<TeamDefinition>(list.Items.Count);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each team") is not { } map)
            {
                continue;
            }

            string? name = null, description = null;
            YamlNode? nameNode = null;
            List<string>? members = null;
            List<NotificationTarget> notify = [];
            foreach (var (key, field) in map.Entries)
            {
                switch (key.Value)
                {
                    case "name": (name, nameNode) = (check.Text(field, "team name"), field); break;
                    case "description": description = check.Text(field, "description"); break;
                    case "members": members = Users(field, "members", "[alice, carol]", "member"); break;
                    case "notify": notify = ReadTargets(field, $"team {name}"); break;
                    default: check.UnknownKey(key, "a team", TeamKeys); break;
                }
            }

            if (!HasKey(map, "members"))
            {
                check.Missing(map, "a team", "members", "list the team's members, e.g. 'members: [alice]'");
            }

            if (Named(map, nameNode, name, "a team", NameRules.IsTeamName, DiagnosticCodes.InvalidTeamName,
                    NameHints.AppRule, lines, DiagnosticCodes.DuplicateTeam) && members is not null)
            {
                teams.Add(new TeamDefinition(name!, description, members, nameNode!.At(check.File)) { Notify = notify });
            }
        }

        return teams;
    }

    // Checks an item's name: present, valid and unique within its list.
    private bool Named(YamlMapping map, YamlNode? nameNode, string? name, string what, Func<string, bool> rule,
        string invalidCode, string ruleText, Dictionary<string, int> lines, string duplicateCode)
    {
        if (nameNode is null)
        {
            check.Missing(map, what, "name", "give it a name, e.g. 'name: production'");
            return false;
        }

        if (name is null)
        {
            return false;
        }

        if (!rule(name))
        {
            check.Error(invalidCode, nameNode, $"name '{name}' is invalid: {ruleText}{NameHints.Corrected(name, rule)}");
            return false;
        }

        if (lines.TryGetValue(name, out var first))
        {
            check.Error(duplicateCode, nameNode, $"'{name}' is defined twice (first on line {first}); keep one");
            return false;
        }

        lines.Add(name, nameNode.Line);
        return true;
    }

    private static bool HasKey(YamlMapping map, string key) => map.Entries.Exists(e => e.Key.Value == key);
}
