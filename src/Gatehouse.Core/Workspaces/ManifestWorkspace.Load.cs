using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Workspaces;

public sealed partial class ManifestWorkspace
{
    // Fewer manifests than this are read on the calling thread.
    private const int ParallelFrom = 16;

    /// <summary>
    /// Finds, reads and validates the files under <paramref name="paths"/> (the working directory
    /// when empty). Files are parsed in parallel; the result does not depend on timing.
    /// </summary>
    /// <param name="paths">Files and directories, absolute or relative to <paramref name="workingDirectory"/>.</param>
    /// <param name="workingDirectory">What relative paths and file names are relative to; the current directory by default.</param>
    /// <param name="keepSources">Keep each manifest's text in <see cref="ManifestSources"/> (what <c>push</c> sends);
    /// off by default, since holding every file's text costs memory and time for a large monorepo.</param>
    public static ManifestWorkspace Load(IReadOnlyList<string> paths, string? workingDirectory = null, bool keepSources = false)
    {
        var loader = new WorkspaceLoader(workingDirectory ?? Environment.CurrentDirectory);
        var found = loader.Discover(paths.Count == 0 ? ["."] : paths);
        var diagnostics = loader.Diagnostics;

        OrganisationFile? organisation = null;
        string? organisationPath = null, organisationSource = null;
        if (found.Organisation is { } organisationFile)
        {
            organisationPath = loader.Display(organisationFile);
            var read = loader.ReadOrganisation(organisationFile, out organisationSource);
            organisation = read.Value;
            diagnostics.AddRange(read.Diagnostics);
        }

        // Each file is read on its own; results land at their index, so the order never depends on timing.
        var results = new ManifestRead[found.Manifests.Count];
        var displays = new string[found.Manifests.Count];
        void Read(int i)
        {
            displays[i] = loader.Display(found.Manifests[i]);
            results[i] = WorkspaceLoader.ReadManifest(found.Manifests[i], displays[i], organisation, keepSources);
        }

        if (found.Manifests.Count < ParallelFrom)
        {
            // A few files parse in well under a millisecond; starting worker threads would cost more (ADR 0035).
            for (var i = 0; i < found.Manifests.Count; i++)
            {
                Read(i);
            }
        }
        else
        {
            Parallel.For(0, found.Manifests.Count, Read);
        }

        var manifests = new List<AppManifest>(results.Length);
        var appsWithErrors = new HashSet<string>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(results.Length, StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            var (result, text, app) = results[i];
            diagnostics.AddRange(result.Diagnostics);
            if (result.Value is { } manifest)
            {
                manifests.Add(manifest);
            }
            else if (app is not null)
            {
                appsWithErrors.Add(app);
            }

            if (text is not null)
            {
                sources[displays[i]] = text;
            }
        }

        diagnostics.AddRange(WorkspaceValidator.Validate(manifests, organisation, appsWithErrors));
        diagnostics.Sort(DiagnosticOrder.Instance);
        var fileCount = found.Manifests.Count + (found.Organisation is null ? 0 : 1);
        return new ManifestWorkspace(manifests, organisation, organisationPath, organisationSource, sources, diagnostics, fileCount);
    }
}
