using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Tests.Infrastructure;

/// <summary>
/// Builds validated models directly (the YAML reader is another project's concern) and a
/// source text that changes whenever the model does, as the real file would.
/// </summary>
public static class Build
{
    public static readonly Actor Bootstrap = new(ActorKind.Bootstrap, "bootstrap");

    public static Actor User(string name) => new(ActorKind.User, name);

    public static Actor App(string name) => new(ActorKind.App, name);

    private static SourceLocation At(string file) => SourceLocation.WholeFile(file);

    /// <summary>
    /// The organisation most tests use: admin root; development grants at once, staging lets
    /// the scope decide, production always needs an owner; teams crm (bob, dave) and payments
    /// (alice, carol).
    /// </summary>
    public static OrganisationFile Organisation(params (string Team, string[] Members)[] extraTeams) => new(
        "gatehouse/v1",
        "acme",
        ["root"],
        [
            new EnvironmentDefinition("development", null, EnvironmentApproval.Auto, At("gatehouse.org.yaml")),
            new EnvironmentDefinition("staging", null, EnvironmentApproval.Scope, At("gatehouse.org.yaml")),
            new EnvironmentDefinition("production", null, EnvironmentApproval.Owner, At("gatehouse.org.yaml")),
        ],
        [
            new TeamDefinition("crm", "Customer data", ["bob", "dave"], At("gatehouse.org.yaml")),
            new TeamDefinition("payments", null, ["alice", "carol"], At("gatehouse.org.yaml")),
            .. extraTeams.Select(t => new TeamDefinition(t.Team, null, t.Members, At("gatehouse.org.yaml"))),
        ],
        At("gatehouse.org.yaml"));

    public static string SourceText(OrganisationFile organisation)
    {
        var text = new StringBuilder($"apiVersion: {organisation.ApiVersion}\norganisation: {organisation.Name}\nadmins: [{string.Join(", ", organisation.Admins)}]\nenvironments:\n");
        foreach (var environment in organisation.Environments)
        {
            text.Append($"  - name: {environment.Name}\n    approval: {environment.Approval.ToString().ToLowerInvariant()}\n");
            if (environment.MaxGrantDays is { } days)
            {
                text.Append($"    maxGrantDays: {days}\n");
            }
        }

        text.Append("teams:\n");
        foreach (var team in organisation.Teams)
        {
            text.Append($"  - name: {team.Name}\n    members: [{string.Join(", ", team.Members)}]\n");
        }

        return text.ToString();
    }

    public static ScopeDeclaration Scope(string name, ApprovalMode approval = ApprovalMode.Owner, string? deprecated = null, string? description = null) =>
        new(name, description, approval, deprecated is null ? null : new ScopeDeprecation(deprecated, null), At("gatehouse.yaml"));

    public static NeedDeclaration Need(string app, string scope, string reason, params string[] environments) =>
        new(app, [scope], reason, environments.Length == 0 ? null : environments, At("gatehouse.yaml"));

    public static NeedDeclaration Need(string app, string[] scopes, string reason, params string[] environments) =>
        new(app, scopes, reason, environments.Length == 0 ? null : environments, At("gatehouse.yaml"));

    public static AppManifest Manifest(string app, string owners, ScopeDeclaration[]? scopes = null, NeedDeclaration[]? needs = null, string? description = null) => new(
        "gatehouse/v1",
        app,
        description,
        [.. owners.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Owner)],
        scopes ?? [],
        needs ?? [],
        At($"{app}/gatehouse.yaml"));

    public static ManifestUpload Upload(AppManifest manifest) => new(manifest, SourceText(manifest));

    public static ManifestUpload Upload(string app, string owners, ScopeDeclaration[]? scopes = null, NeedDeclaration[]? needs = null, string? description = null) =>
        Upload(Manifest(app, owners, scopes, needs, description));

    public static string SourceText(AppManifest manifest)
    {
        var text = new StringBuilder($"apiVersion: {manifest.ApiVersion}\napp: {manifest.App}\n");
        if (manifest.Description is not null)
        {
            text.Append($"description: {manifest.Description}\n");
        }

        text.Append($"owners: [{string.Join(", ", manifest.Owners)}]\nscopes:\n");
        foreach (var scope in manifest.Scopes)
        {
            text.Append($"  - name: {scope.Name}\n    approval: {scope.Approval}\n");
            if (scope.Description is not null)
            {
                text.Append($"    description: {scope.Description}\n");
            }

            if (scope.Deprecation is not null)
            {
                text.Append($"    deprecated: {scope.Deprecation.Message}\n");
            }

            if (scope.MaxGrantDays is { } days)
            {
                text.Append($"    maxGrantDays: {days}\n");
            }
        }

        text.Append("needs:\n");
        foreach (var need in manifest.Needs)
        {
            text.Append($"  - app: {need.App}\n    scopes: [{string.Join(", ", need.Scopes)}]\n    reason: {need.Reason}\n");
            if (need.Environments is not null)
            {
                text.Append($"    environments: [{string.Join(", ", need.Environments)}]\n");
            }

            if (need.Until is { } until)
            {
                text.Append($"    until: {until:yyyy-MM-dd}\n");
            }
        }

        return text.ToString();
    }

    private static OwnerRef Owner(string text) => text.StartsWith("team:", StringComparison.Ordinal)
        ? new OwnerRef(OwnerKind.Team, text["team:".Length..])
        : new OwnerRef(OwnerKind.User, text.StartsWith("user:", StringComparison.Ordinal) ? text["user:".Length..] : text);
}
