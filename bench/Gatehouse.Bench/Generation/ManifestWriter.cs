using System.Text;

namespace Gatehouse.Bench.Generation;

/// <summary>
/// Writes the generated organisation as YAML in the shape people write by hand. Every text comes
/// from <see cref="Vocabulary"/>, which holds no ': ', ' #' or leading quote, so plain scalars are safe.
/// </summary>
internal static class ManifestWriter
{
    public static string Organisation(SyntheticOrganisation org)
    {
        var text = new StringBuilder()
            .Append("apiVersion: gatehouse/v1\norganisation: synthetic\n")
            .Append($"admins: [{string.Join(", ", org.Admins)}]\nenvironments:\n");
        foreach (var (name, approval, description) in SyntheticOrganisation.Environments)
        {
            text.Append($"  - name: {name}\n    description: {description}\n    approval: {approval}\n");
        }

        text.Append("teams:\n");
        foreach (var team in org.Teams)
        {
            text.Append($"  - name: {team.Name}\n    description: {team.Description}\n    members: [{string.Join(", ", team.Members)}]\n");
        }

        return text.ToString();
    }

    public static string Manifest(SyntheticApp app)
    {
        var text = new StringBuilder(1200)
            .Append($"apiVersion: gatehouse/v1\napp: {app.Name}\ndescription: {app.Description}\n")
            .Append($"owners: [{string.Join(", ", app.Owners)}]\nscopes:\n");
        foreach (var scope in app.Scopes)
        {
            text.Append($"  - name: {scope.Name}\n    description: {scope.Description}\n");
            if (scope.Approval is not null)
            {
                text.Append($"    approval: {scope.Approval}\n");
            }

            if (scope.ReplacedBy is not null)
            {
                text.Append($"    deprecated:\n      message: Moved to {scope.ReplacedBy}; the v1 endpoints close next quarter\n      replacedBy: {scope.ReplacedBy}\n");
            }
        }

        text.Append("needs:\n");
        foreach (var need in app.Needs)
        {
            text.Append($"  - app: {need.App}\n    scopes: [{string.Join(", ", need.Scopes)}]\n    reason: {need.Reason}\n");
            if (need.Environments is not null)
            {
                text.Append($"    environments: [{string.Join(", ", need.Environments)}]\n");
            }
        }

        return text.ToString();
    }
}
