using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Workspaces;

/// <summary>
/// Every manifest and the organisation file found under some paths, read, validated on their
/// own and against each other. File names are relative to the working directory.
/// </summary>
public sealed partial class ManifestWorkspace
{
    private ManifestWorkspace(
        IReadOnlyList<AppManifest> manifests,
        OrganisationFile? organisation,
        string? organisationPath,
        string? organisationSource,
        IReadOnlyDictionary<string, string> manifestSources,
        IReadOnlyList<Diagnostic> diagnostics,
        int fileCount)
    {
        Manifests = manifests;
        Organisation = organisation;
        OrganisationPath = organisationPath;
        OrganisationSource = organisationSource;
        ManifestSources = manifestSources;
        Diagnostics = diagnostics;
        FileCount = fileCount;
    }

    /// <summary>The valid manifests, in file-name order (files with errors are left out).</summary>
    public IReadOnlyList<AppManifest> Manifests { get; }

    /// <summary>The organisation file, when one was found and is valid.</summary>
    public OrganisationFile? Organisation { get; }

    /// <summary>Where the organisation file was found, when one was.</summary>
    public string? OrganisationPath { get; }

    /// <summary>The organisation file's text, when it could be decoded.</summary>
    public string? OrganisationSource { get; }

    /// <summary>The text of every manifest that could be decoded, by file name (what <c>push</c> sends); empty unless loaded with <c>keepSources</c>.</summary>
    public IReadOnlyDictionary<string, string> ManifestSources { get; }

    /// <summary>Every finding, sorted by file, line and column.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>How many files were read, the organisation file included.</summary>
    public int FileCount { get; }

    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);

    public int WarningCount => Diagnostics.Count(d => d.Severity == Severity.Warning);

    public bool HasErrors => ErrorCount > 0;
}
