using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Workspaces;

/// <summary>The I/O half of a workspace load: which files, their display names, and their bytes.</summary>
internal sealed class WorkspaceLoader(string workingDirectory)
{
    public sealed record Found(List<string> Manifests, string? Organisation);

    public List<Diagnostic> Diagnostics { get; } = [];

    public string Display(string fullPath) => Path.GetRelativePath(workingDirectory, fullPath);

    public Found Discover(IReadOnlyList<string> paths)
    {
        var manifests = new SortedSet<string>(StringComparer.Ordinal);
        var organisations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            var display = Display(full);
            if (File.Exists(full))
            {
                (ManifestDiscovery.IsOrganisationFile(full) ? organisations : manifests).Add(full);
            }
            else if (Directory.Exists(full))
            {
                var files = ManifestDiscovery.Search(full);
                if (files.Count == 0)
                {
                    Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoFilesFound, SourceLocation.WholeFile(display),
                        $"no {AppManifest.FileName} or {OrganisationFile.FileName} found under '{display}'"));
                }

                foreach (var file in files)
                {
                    (ManifestDiscovery.IsOrganisationFile(file) ? organisations : manifests).Add(file);
                }
            }
            else
            {
                Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, SourceLocation.WholeFile(display),
                    $"path '{display}' does not exist"));
            }
        }

        return new Found([.. manifests], PickOrganisation(organisations, paths));
    }

    private string? PickOrganisation(SortedSet<string> found, IReadOnlyList<string> paths)
    {
        if (found.Count == 0)
        {
            var parent = ManifestDiscovery.FindInParents(Path.GetFullPath(paths[0], workingDirectory));
            if (parent is null)
            {
                Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NoOrganisationFile, SourceLocation.WholeFile(Display(Path.GetFullPath(paths[0], workingDirectory))),
                    $"no {OrganisationFile.FileName} found here or in a parent folder; environment names and owner teams are not checked"));
            }

            return parent;
        }

        var chosen = found.Min!;
        foreach (var other in found.Skip(1))
        {
            Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SeveralOrganisationFiles, SourceLocation.WholeFile(Display(other)),
                $"more than one organisation file: validate each organisation on its own (this run uses {Display(chosen)})"));
        }

        return chosen;
    }

    public static ManifestRead ReadManifest(string fullPath, string display, OrganisationFile? organisation, bool keepText)
    {
        using var file = FileBytes.Read(fullPath, display);
        if (file.Problem is { } problem)
        {
            return new ManifestRead(new ReadResult<AppManifest>(null, [problem]), null, null);
        }

        var read = ManifestReader.Read(display, file.Content, organisation);
        return keepText ? read : read with { Text = null };
    }

    public ReadResult<OrganisationFile> ReadOrganisation(string fullPath, out string? text)
    {
        text = null;
        var display = Display(fullPath);
        using var file = FileBytes.Read(fullPath, display);
        return file.Problem is { } problem
            ? new ReadResult<OrganisationFile>(null, [problem])
            : ManifestReader.ReadOrganisation(display, file.Content, out text);
    }
}
