using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

internal sealed partial class OrganisationValidator
{
    private static readonly string[] EnvironmentKeys = ["name", "description", "approval", "maxGrantDays", "promotion", "freezes", "reviews", "revokeUnusedAfterDays", "notify"];
    private static readonly string[] EnvironmentApprovals = ["scope", "auto", "owner", "two-owners"];

    private List<EnvironmentDefinition>? ReadEnvironments(YamlNode value)
    {
        if (check.List(value, "environments", "'- name: production'") is not { } list)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            check.Error(DiagnosticCodes.OrganisationEmptyList, list, "environments is empty; define at least one, e.g. '- name: production'");
            return null;
        }

        var environments = new List<EnvironmentDefinition>(list.Items.Count);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var promotions = new List<(string Environment, string From, YamlNode At)>();
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each environment") is not { } map)
            {
                continue;
            }

            string? name = null, description = null;
            YamlNode? nameNode = null;
            var approval = EnvironmentApproval.Scope;
            int? maxGrantDays = null;
            YamlNode? promotionNode = null;
            string? promotion = null;
            List<EnvironmentFreeze> freezes = [];
            Access.ReviewPolicy? reviews = null;
            int? revokeUnused = null;
            List<NotificationTarget> notify = [];
            foreach (var (key, field) in map.Entries)
            {
                switch (key.Value)
                {
                    case "name": (name, nameNode) = (check.Text(field, "environment name"), field); break;
                    case "description": description = check.Text(field, "description"); break;
                    case "approval": approval = Approval(field); break;
                    case "maxGrantDays": maxGrantDays = GrantLifetimeValues.Days(check, field, DiagnosticCodes.InvalidEnvironmentMaxGrantDays, "an environment"); break;
                    case "promotion": (promotion, promotionNode) = (check.Text(field, "promotion"), field); break;
                    case "freezes": freezes = ReadFreezes(field); break;
                    case "reviews": reviews = ReadReviewPolicy(field); break;
                    case "revokeUnusedAfterDays": revokeUnused = GrantLifetimeValues.Days(check, field, DiagnosticCodes.InvalidReviewPolicy, "revokeUnusedAfterDays of an environment"); break;
                    case "notify": notify = ReadTargets(field, $"environment {name}"); break;
                    default: check.UnknownKey(key, "an environment", EnvironmentKeys); break;
                }
            }

            if (Named(map, nameNode, name, "an environment", NameRules.IsEnvironmentName, DiagnosticCodes.InvalidEnvironmentName,
                    NameHints.EnvironmentRule, lines, DiagnosticCodes.DuplicateEnvironment))
            {
                environments.Add(new EnvironmentDefinition(name!, description, approval, nameNode!.At(check.File))
                {
                    MaxGrantDays = maxGrantDays,
                    Promotion = promotion,
                    Freezes = freezes,
                    Reviews = reviews,
                    RevokeUnusedAfterDays = revokeUnused,
                    Notify = notify,
                });
                if (promotionNode is not null && promotion is not null)
                {
                    promotions.Add((name!, promotion, promotionNode));
                }
            }
        }

        CheckPromotions(environments, promotions);
        return environments;
    }

    private EnvironmentApproval Approval(YamlNode value)
    {
        switch (check.Text(value, "approval"))
        {
            case "scope": return EnvironmentApproval.Scope;
            case "auto": return EnvironmentApproval.Auto;
            case "owner": return EnvironmentApproval.Owner;
            case "two-owners": return EnvironmentApproval.TwoOwners;
            case { } other:
                check.Error(DiagnosticCodes.UnknownEnvironmentApproval, value,
                    $"environment approval '{other}' is not known; use scope, auto, owner or two-owners{Suggestions.DidYouMean(other, EnvironmentApprovals)}");
                return EnvironmentApproval.Scope;
            default: return EnvironmentApproval.Scope;
        }
    }
}
