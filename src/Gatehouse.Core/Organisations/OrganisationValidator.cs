using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Organisations;

/// <summary>Turns the YAML tree of a gatehouse.org.yaml into an <see cref="OrganisationFile"/>, reporting every problem.</summary>
internal sealed partial class OrganisationValidator
{
    private static readonly string[] OrganisationKeys = ["apiVersion", "organisation", "admins", "environments", "teams", "ciIssuers"];

    private readonly NodeChecker check;

    private OrganisationValidator(NodeChecker check) => this.check = check;

    public static OrganisationFile? Validate(string file, YamlNode root, List<Diagnostic> diagnostics)
    {
        var validator = new OrganisationValidator(new NodeChecker(file, FileKind.Organisation, diagnostics));
        var organisation = validator.Read(root);
        return validator.check.HasErrors ? null : organisation;
    }

    private OrganisationFile? Read(YamlNode root)
    {
        if (check.Mapping(root, "an organisation file") is not { } map)
        {
            return null;
        }

        string? apiVersion = null, name = null;
        YamlNode? nameNode = null;
        List<string>? admins = null;
        List<EnvironmentDefinition>? environments = null;
        List<TeamDefinition> teams = [];
        List<CiIssuer> ciIssuers = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            seen.Add(key.Value);
            switch (key.Value)
            {
                case "apiVersion": apiVersion = ApiVersion(value); break;
                case "organisation": (name, nameNode) = (OrganisationName(value), value); break;
                case "admins": admins = Users(value, "admins", "[alice, bob]", "admin"); break;
                case "environments": environments = ReadEnvironments(value); break;
                case "teams": teams = ReadTeams(value); break;
                case "ciIssuers": ciIssuers = ReadCiIssuers(value); break;
                default:
                    check.UnknownKey(key, "the organisation file", OrganisationKeys,
                        key.Value is "app" or "owners" ? " (app settings belong in the app's gatehouse.yaml)" : null);
                    break;
            }
        }

        Require(map, seen, "apiVersion", $"add 'apiVersion: {ManifestValidator.SupportedApiVersion}' as the first line");
        Require(map, seen, "organisation", "name the organisation, e.g. 'organisation: acme'");
        Require(map, seen, "admins", "list the platform admins, e.g. 'admins: [alice]'");
        Require(map, seen, "environments", "define the environments, e.g. '- name: production'");
        if (apiVersion is null || name is null || nameNode is null || admins is null || environments is null)
        {
            return null;
        }

        return new OrganisationFile(apiVersion, name, admins, environments, teams, nameNode.At(check.File)) { CiIssuers = ciIssuers };
    }

    private void Require(YamlMapping map, HashSet<string> seen, string key, string hint)
    {
        if (!seen.Contains(key))
        {
            check.Missing(map, "the organisation file", key, hint);
        }
    }

    private string? ApiVersion(YamlNode value)
    {
        var version = check.Text(value, "apiVersion");
        if (version is not null && version != ManifestValidator.SupportedApiVersion)
        {
            check.Error(DiagnosticCodes.OrganisationApiVersion, value,
                $"apiVersion '{version}' is not supported; this version of gatehouse reads '{ManifestValidator.SupportedApiVersion}'");
            return null;
        }

        return version;
    }

    private string? OrganisationName(YamlNode value)
    {
        var name = check.Text(value, "organisation");
        if (name is not null && !NameRules.IsOrganisationName(name))
        {
            check.Error(DiagnosticCodes.InvalidOrganisationName, value,
                $"organisation name '{name}' is invalid: {NameHints.AppRule}{NameHints.Corrected(name, NameRules.IsOrganisationName)}");
            return null;
        }

        return name;
    }

    private List<string>? Users(YamlNode value, string what, string example, string itemWhat)
    {
        if (check.TextList(value, what, example, itemWhat) is not { } items)
        {
            return null;
        }

        var users = new List<string>(items.Count);
        foreach (var item in items)
        {
            if (NameRules.IsUserName(item.Value))
            {
                users.Add(item.Value);
                continue;
            }

            var hint = item.Value.StartsWith("user:", StringComparison.Ordinal)
                ? $"; write the bare name '{item.Value[5..]}' here"
                : NameHints.Corrected(item.Value, NameRules.IsUserName);
            check.Error(DiagnosticCodes.InvalidUserName, item.Node, $"user name '{item.Value}' is invalid: {NameHints.UserRule}{hint}");
        }

        return users.Count == items.Count ? users : null;
    }
}
