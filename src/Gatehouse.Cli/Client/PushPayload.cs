using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Client;

/// <summary>
/// The body of <c>plan</c> and <c>push</c>: every manifest under the paths, and the organisation
/// file when it lies under one of them (one found only in a parent folder is used to validate,
/// not pushed, so an app team never needs admin rights to push its own manifest).
/// </summary>
internal static class PushPayload
{
    public static (object? Body, IReadOnlyList<Diagnostic> Diagnostics) Build(IReadOnlyList<string> paths, string workingDirectory)
    {
        var workspace = ManifestWorkspace.Load(paths, workingDirectory, keepSources: true);
        if (workspace.Diagnostics.Any(d => d.Severity == Severity.Error))
        {
            return (null, workspace.Diagnostics);
        }

        object? organisation = null;
        if (workspace.OrganisationPath is { } orgPath && workspace.OrganisationSource is { } text && IsUnder(orgPath, paths, workingDirectory))
        {
            organisation = new { path = orgPath, content = text };
        }

        // Each manifest with its project's template record, if it has one (ADR 0029).
        var problems = new List<Diagnostic>(workspace.Diagnostics);
        var manifests = workspace.ManifestSources.Select(m => new { path = m.Key, content = m.Value, template = Templates.ProjectTemplateLookup.For(m.Key, workingDirectory, problems) }).ToList();
        return problems.Any(d => d.Severity == Severity.Error) ? (null, problems) : (new { organisation, manifests }, problems);
    }

    private static bool IsUnder(string file, IReadOnlyList<string> paths, string workingDirectory)
    {
        var full = Path.GetFullPath(file, workingDirectory);
        return paths.Any(p =>
        {
            var root = Path.GetFullPath(p, workingDirectory);
            return full == root || full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        });
    }
}
