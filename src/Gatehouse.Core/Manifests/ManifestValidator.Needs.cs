using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

internal sealed partial class ManifestValidator
{
    private static readonly string[] NeedKeys = ["app", "scopes", "reason", "environments", "until"];

    private List<NeedDeclaration> ReadNeeds(YamlNode value, string? self)
    {
        if (check.List(value, "needs", "'- app: customers'") is not { } list)
        {
            return [];
        }

        var needs = new List<NeedDeclaration>(list.Items.Count);
        var byApp = new NameIndex<NeedDeclaration>(list.Items.Count, n => n.App);
        foreach (var item in list.Items)
        {
            if (check.Mapping(item, "each need") is not { } map || ReadNeed(map, self) is not { } need)
            {
                continue;
            }

            if (byApp.Find(needs, need.App) is { } first)
            {
                check.Error(DiagnosticCodes.DuplicateNeed, need.Location,
                    $"app '{need.App}' is needed twice (first on line {first.Location.Line}); merge the two entries into one");
                continue;
            }

            needs.Add(need);
            byApp.Added(needs);
        }

        return needs;
    }

    private NeedDeclaration? ReadNeed(YamlMapping map, string? self)
    {
        string? app = null, reason = null;
        YamlNode? appNode = null, scopesNode = null, reasonNode = null;
        List<TextItem>? scopes = null, environments = null;
        DateOnly? until = null;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "app": (app, appNode) = (AppName(value, "app"), value); break;
                case "scopes": (scopes, scopesNode) = (NeededScopes(value), value); break;
                // An empty 'reason:' is a need without a reason, not a type error.
                case "reason": (reason, reasonNode) = (value is YamlScalar { IsNull: true } ? "" : check.Text(value, "reason"), value); break;
                case "environments": environments = Environments(value); break;
                case "until": until = GrantLifetimeValues.Date(check, value, DiagnosticCodes.InvalidNeedUntil, "a need"); break;
                default: check.UnknownKey(key, "a need", NeedKeys); break;
            }
        }

        if (app is not null && app == self)
        {
            check.Error(DiagnosticCodes.NeedOfItself, appNode!, $"app '{app}' cannot need itself; remove this need");
            app = null;
        }

        CheckReason(map, reason, reasonNode, app);
        if (appNode is null)
        {
            check.Missing(map, "a need", "app", "name the app that provides the scopes, e.g. 'app: customers'");
        }

        if (scopesNode is null)
        {
            check.Missing(map, "a need", "scopes", "list the scopes needed, e.g. 'scopes: [profile.read]'");
        }

        if (app is null || appNode is null || scopes is null || string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        return new NeedDeclaration(app, Values(scopes), reason, environments is null ? null : Values(environments), appNode.At(check.File))
        {
            ScopeLocations = Locations(scopes),
            Until = until,
        };
    }

    private void CheckReason(YamlMapping map, string? reason, YamlNode? reasonNode, string? app)
    {
        var needed = app is null ? "this access" : $"access to '{app}'";
        if (reasonNode is null)
        {
            check.Error(DiagnosticCodes.NeedWithoutReason, map,
                $"a need is missing 'reason': say why this app needs {needed}; the owners read it when they approve");
        }
        else if (reason is not null && string.IsNullOrWhiteSpace(reason))
        {
            check.Error(DiagnosticCodes.NeedWithoutReason, reasonNode,
                $"reason is blank: say why this app needs {needed}; the owners read it when they approve");
        }
    }

    private List<TextItem>? NeededScopes(YamlNode value)
    {
        var items = check.TextList(value, "scopes", "[profile.read]", "scope");
        if (items is null)
        {
            return null;
        }

        var valid = true;
        foreach (var item in items)
        {
            valid &= ScopeName(item.Node, "scope") is not null;
        }

        return valid ? items : null;
    }

    private static List<string> Values(List<TextItem> items) => items.ConvertAll(i => i.Value);

    private List<SourceLocation> Locations(List<TextItem> items) => items.ConvertAll(i => i.Node.At(check.File));
}
