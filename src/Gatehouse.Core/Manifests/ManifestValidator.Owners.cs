using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

internal sealed partial class ManifestValidator
{
    private sealed record Owners(List<OwnerRef> Refs, List<SourceLocation> Locations);

    private Owners? ReadOwners(YamlNode value)
    {
        if (check.TextList(value, "owners", "[team:payments, user:alice]", "owner") is not { } items)
        {
            return null;
        }

        var owners = new Owners(new List<OwnerRef>(items.Count), new List<SourceLocation>(items.Count));
        foreach (var item in items)
        {
            if (Owner(item) is { } owner)
            {
                owners.Refs.Add(owner);
                owners.Locations.Add(item.Node.At(check.File));
            }
        }

        return owners;
    }

    private OwnerRef? Owner(TextItem item)
    {
        var text = item.Value;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? "" : text[..colon];
        var name = text[(colon + 1)..];
        if (prefix == "team" && NameRules.IsTeamName(name))
        {
            return new OwnerRef(OwnerKind.Team, name);
        }

        if (prefix == "user" && NameRules.IsUserName(name))
        {
            return new OwnerRef(OwnerKind.User, name);
        }

        var problem = prefix switch
        {
            "team" => $"team name '{name}' is invalid: {NameHints.AppRule}",
            "user" => $"user name '{name}' is invalid: {NameHints.UserRule}",
            _ when colon < 0 && NameRules.IsUserName(text) => $"write 'team:NAME' or 'user:NAME'; did you mean 'user:{text}' or 'team:{text}'?",
            _ => "write 'team:NAME' or 'user:NAME'",
        };
        check.Error(DiagnosticCodes.InvalidOwner, item.Node, $"owner '{text}' is invalid: {problem}");
        return null;
    }
}
