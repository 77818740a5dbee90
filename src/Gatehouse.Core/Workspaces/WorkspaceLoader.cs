using System.Buffers;
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
        var buffer = ReadBytes(fullPath, display, out var length, out var problem);
        if (buffer is null)
        {
            return new ManifestRead(new ReadResult<AppManifest>(null, [problem!]), null, null);
        }

        try
        {
            var read = ManifestReader.Read(display, buffer.AsSpan(0, length), organisation);
            return keepText ? read : read with { Text = null };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ReadResult<OrganisationFile> ReadOrganisation(string fullPath, out string? text)
    {
        text = null;
        var display = Display(fullPath);
        var buffer = ReadBytes(fullPath, display, out var length, out var problem);
        if (buffer is null)
        {
            return new ReadResult<OrganisationFile>(null, [problem!]);
        }

        try
        {
            return ManifestReader.ReadOrganisation(display, buffer.AsSpan(0, length), out text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The file's bytes in a buffer rented from the shared pool (return it), opened once: its length
    /// is enough to refuse a file past the limit without loading it.
    /// </summary>
    private static byte[]? ReadBytes(string fullPath, string display, out int length, out Diagnostic? problem)
    {
        problem = null;
        length = 0;
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var size = RandomAccess.GetLength(handle);
            if (size > ManifestReader.MaxFileBytes)
            {
                problem = YamlInput.TooLarge(display, size);
                return null;
            }

            // One byte more than the size: a file that grew since is read up to the limit and still refused.
            var buffer = ArrayPool<byte>.Shared.Rent((int)size + 1);
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    if (length > ManifestReader.MaxFileBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        problem = YamlInput.TooLarge(display, length);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(length * 2, ManifestReader.MaxFileBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = Diagnostic.Error(DiagnosticCodes.FileUnreadable, SourceLocation.WholeFile(display), $"cannot read the file: {ex.Message}");
            return null;
        }
    }
}
