using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Organisations;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

/// <summary>
/// Reads and validates one manifest or organisation file from its bytes. Never throws for
/// bad input: every problem comes back as a <see cref="Diagnostic"/> with a stable code.
/// </summary>
public static class ManifestReader
{
    /// <summary>The largest file accepted: 1 MiB.</summary>
    public const int MaxFileBytes = YamlInput.MaxBytes;

    /// <summary>Reads a <c>gatehouse.yaml</c>.</summary>
    /// <param name="file">The name used in diagnostics.</param>
    /// <param name="content">The raw bytes (UTF-8, optionally with a BOM).</param>
    /// <param name="organisation">When given, the environments a need names must be defined by it.</param>
    public static ReadResult<AppManifest> ReadManifest(string file, byte[] content, OrganisationFile? organisation = null) =>
        Read(file, content, organisation).Result;

    /// <summary>Reads a <c>gatehouse.org.yaml</c>.</summary>
    public static ReadResult<OrganisationFile> ReadOrganisation(string file, byte[] content) =>
        ReadOrganisation(file, content, out _);

    /// <summary>Reads a manifest, also returning its text and the app it declares (known even when the file has errors).</summary>
    internal static ManifestRead Read(string file, ReadOnlySpan<byte> content, OrganisationFile? organisation)
    {
        var document = YamlReader.Read(file, content);
        if (document.Root is null)
        {
            return new ManifestRead(new ReadResult<AppManifest>(null, document.Diagnostics), document.Text, null);
        }

        var diagnostics = new List<Diagnostic>(document.Diagnostics);
        var manifest = ManifestValidator.Validate(file, document.Root, organisation, diagnostics, out var app);
        return new ManifestRead(Result(manifest, diagnostics), document.Text, app);
    }

    internal static ReadResult<OrganisationFile> ReadOrganisation(string file, ReadOnlySpan<byte> content, out string? text)
    {
        var document = YamlReader.Read(file, content);
        text = document.Text;
        if (document.Root is null)
        {
            return new ReadResult<OrganisationFile>(null, document.Diagnostics);
        }

        var diagnostics = new List<Diagnostic>(document.Diagnostics);
        var organisation = OrganisationValidator.Validate(file, document.Root, diagnostics);
        return Result(organisation, diagnostics);
    }

    private static ReadResult<T> Result<T>(T? value, List<Diagnostic> diagnostics)
        where T : class
    {
        // Findings come from several passes (YAML, then shape); present them in file order.
        diagnostics.Sort(DiagnosticOrder.Instance);
        var result = new ReadResult<T>(value, diagnostics);
        return result.HasErrors ? result with { Value = null } : result;
    }
}

/// <summary>One manifest read by the workspace: the result, the decoded text, and the declared app.</summary>
internal sealed record ManifestRead(ReadResult<AppManifest> Result, string? Text, string? App);
