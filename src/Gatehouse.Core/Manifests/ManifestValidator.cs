using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Organisations;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

/// <summary>Turns the YAML tree of a gatehouse.yaml into an <see cref="AppManifest"/>, reporting every problem.</summary>
internal sealed partial class ManifestValidator
{
    public const string SupportedApiVersion = "gatehouse/v1";

    private static readonly string[] ManifestKeys = ["apiVersion", "app", "description", "owners", "scopes", "needs"];

    private readonly NodeChecker check;
    private readonly OrganisationFile? organisation;
    private string? app;

    private ManifestValidator(NodeChecker check, OrganisationFile? organisation)
    {
        this.check = check;
        this.organisation = organisation;
    }

    /// <summary>The manifest, or null when any error was reported (all of them are in <paramref name="diagnostics"/>).</summary>
    /// <param name="app">The app the file declares, when its name is valid, even if other parts are not.</param>
    public static AppManifest? Validate(string file, YamlNode root, OrganisationFile? organisation, List<Diagnostic> diagnostics, out string? app)
    {
        var validator = new ManifestValidator(new NodeChecker(file, FileKind.Manifest, diagnostics), organisation);
        var manifest = validator.Read(root);
        app = validator.app;
        return validator.check.HasErrors ? null : manifest;
    }

    private AppManifest? Read(YamlNode root)
    {
        if (check.Mapping(root, "a manifest") is not { } map)
        {
            return null;
        }

        string? apiVersion = null, description = null;
        YamlNode? appNode = null, needsNode = null;
        Owners? owners = null;
        List<ScopeDeclaration> scopes = [];
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "apiVersion": apiVersion = ApiVersion(value); break;
                case "app": (app, appNode) = (AppName(value, "app"), value); break;
                case "description": description = check.Text(value, "description"); break;
                case "owners": owners = ReadOwners(value); break;
                case "scopes": scopes = ReadScopes(value); break;
                case "needs": needsNode = value; break;
                default:
                    check.UnknownKey(key, "the manifest", ManifestKeys,
                        key.Value == "organisation" ? " (organisation settings belong in gatehouse.org.yaml)" : null);
                    break;
            }
        }

        // Needs are read last: a need of the app itself can only be spotted once the app's name is known.
        var needs = needsNode is null ? [] : ReadNeeds(needsNode, app);
        RequireKey(map, "apiVersion", apiVersion is null && !Has(map, "apiVersion"), $"add 'apiVersion: {SupportedApiVersion}' as the first line");
        RequireKey(map, "app", appNode is null, "name the app, e.g. 'app: billing'");
        RequireKey(map, "owners", owners is null && !Has(map, "owners"), "say who approves access to this app's scopes, e.g. 'owners: [team:payments]'");
        if (apiVersion is null || app is null || owners is null || appNode is null)
        {
            return null;
        }

        return new AppManifest(apiVersion, app, description, owners.Refs, scopes, needs, appNode.At(check.File))
        {
            OwnerLocations = owners.Locations,
        };
    }

    private string? ApiVersion(YamlNode value)
    {
        var version = check.Text(value, "apiVersion");
        if (version is not null && version != SupportedApiVersion)
        {
            check.Error(DiagnosticCodes.ManifestApiVersion, value,
                $"apiVersion '{version}' is not supported; this version of gatehouse reads '{SupportedApiVersion}'");
            return null;
        }

        return version;
    }

    private string? AppName(YamlNode value, string what)
    {
        var name = check.Text(value, what);
        if (name is not null && !NameRules.IsAppName(name))
        {
            check.Error(DiagnosticCodes.InvalidAppName, value,
                $"app name '{name}' is invalid: {NameHints.AppRule}{NameHints.Corrected(name, NameRules.IsAppName)}");
            return null;
        }

        return name;
    }

    private void RequireKey(YamlMapping map, string key, bool missing, string hint)
    {
        if (missing)
        {
            check.Missing(map, "the manifest", key, hint);
        }
    }

    private static bool Has(YamlMapping map, string key)
    {
        foreach (var entry in map.Entries)
        {
            if (entry.Key.Value == key)
            {
                return true;
            }
        }

        return false;
    }
}
