using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

internal sealed partial class ManifestValidator
{
    private static readonly string[] ScopeKeys = ["name", "description", "approval", "deprecated", "routes", "maxGrantDays"];
    private static readonly string[] Approvals = ["owner", "two-owners", "auto"];

    private List<ScopeDeclaration> ReadScopes(YamlNode value)
    {
        if (check.List(value, "scopes", "'- name: invoices.read'") is not { } list)
        {
            return [];
        }

        var scopes = new List<ScopeDeclaration>(list.Items.Count);
        var declared = new NameIndex<ScopeDeclaration>(list.Items.Count, s => s.Name);
        List<(string ReplacedBy, YamlNode Node, string Scope)> replacements = [];
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each scope") is { } map && ReadScope(map, replacements) is { } scope)
            {
                if (declared.Find(scopes, scope.Name) is { } first)
                {
                    check.Error(DiagnosticCodes.DuplicateScope, scope.Location,
                        $"scope '{scope.Name}' is declared twice (first on line {first.Location.Line}); keep one");
                    continue;
                }

                scopes.Add(scope);
                declared.Added(scopes);
            }
        }

        CheckRoutesAcrossScopes(scopes);
        foreach (var (replacedBy, node, scope) in replacements)
        {
            if (replacedBy == scope)
            {
                check.Error(DiagnosticCodes.UnknownReplacement, node, $"scope '{scope}' cannot be replaced by itself");
            }
            else if (declared.Find(scopes, replacedBy) is null)
            {
                check.Error(DiagnosticCodes.UnknownReplacement, node,
                    $"replacedBy '{replacedBy}' is not a scope of this app{Suggestions.DidYouMean(replacedBy, scopes.Select(s => s.Name))}");
            }
        }

        return scopes;
    }

    private ScopeDeclaration? ReadScope(YamlMapping map, List<(string, YamlNode, string)> replacements)
    {
        string? name = null, description = null;
        YamlNode? nameNode = null, deprecatedNode = null, routesNode = null;
        var approval = ApprovalMode.Owner;
        int? maxGrantDays = null;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "name": (name, nameNode) = (ScopeName(value, "scope name"), value); break;
                case "description": description = check.Text(value, "description"); break;
                case "approval": approval = Approval(value); break;
                case "deprecated": deprecatedNode = value; break;
                case "routes": routesNode = value; break;
                case "maxGrantDays": maxGrantDays = GrantLifetimeValues.Days(check, value, DiagnosticCodes.InvalidMaxGrantDays, name is null ? "a scope" : $"scope '{name}'"); break;
                default: check.UnknownKey(key, "a scope", ScopeKeys); break;
            }
        }

        if (nameNode is null)
        {
            check.Missing(map, "a scope", "name", "give the scope a name, e.g. 'name: invoices.read'");
        }

        if (nameNode is not null && name is not null && string.IsNullOrWhiteSpace(description))
        {
            // A catalogue entry nobody can understand gets requested by guesswork or not at all.
            check.Warning(DiagnosticCodes.ScopeWithoutDescription, nameNode,
                $"scope '{name}' has no description; say what it grants, e.g. 'description: Read invoices', so people asking for it know what they get");
        }

        var deprecation = deprecatedNode is null ? null : ReadDeprecation(deprecatedNode, name, replacements);
        var routes = routesNode is null ? null : ReadRoutes(routesNode);
        return name is null || nameNode is null
            ? null
            : new ScopeDeclaration(name, description, approval, deprecation, nameNode.At(check.File))
            {
                Routes = routes?.Select(r => r.Template.ToString()).ToList() ?? [],
                RouteLocations = routes?.Select(r => r.Node.At(check.File)).ToList() ?? [],
                MaxGrantDays = maxGrantDays,
            };
    }

    private string? ScopeName(YamlNode value, string what)
    {
        var name = check.Text(value, what);
        if (name is not null && !NameRules.IsScopeName(name))
        {
            check.Error(DiagnosticCodes.InvalidScopeName, value,
                $"scope name '{name}' is invalid: {NameHints.ScopeRule}{NameHints.Corrected(name, NameRules.IsScopeName)}");
            return null;
        }

        return name;
    }

    private ApprovalMode Approval(YamlNode value)
    {
        switch (check.Text(value, "approval"))
        {
            case "owner": return ApprovalMode.Owner;
            case "two-owners": return ApprovalMode.TwoOwners;
            case "auto": return ApprovalMode.Auto;
            case { } other:
                check.Error(DiagnosticCodes.UnknownScopeApproval, value,
                    $"approval '{other}' is not known; use owner, two-owners or auto{Suggestions.DidYouMean(other, Approvals)}");
                return ApprovalMode.Owner;
            default: return ApprovalMode.Owner;
        }
    }
}
