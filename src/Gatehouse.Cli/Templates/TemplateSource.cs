using System.Globalization;
using System.Text;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>One version of a template: its definition and its files (template paths, template.yaml excluded).</summary>
internal sealed record TemplateVersion(SemVersion Version, string Tag, TemplateDefinition Definition, IReadOnlyDictionary<string, byte[]> Files);

/// <summary>
/// A template's git repository, cloned bare into a temporary folder: its versions are its semver
/// tags, and a version's files are read straight from the tag's tree (no checkout).
/// </summary>
internal sealed class TemplateSource : IDisposable
{
    private readonly string clone;
    private readonly Dictionary<SemVersion, string> tags;

    private TemplateSource(string location, string clone, Dictionary<SemVersion, string> tags)
    {
        Location = location;
        this.clone = clone;
        this.tags = tags;
    }

    /// <summary>What the project records: an absolute path for a local folder, the URL otherwise.</summary>
    public string Location { get; }

    /// <summary>The versions, oldest first.</summary>
    public IReadOnlyList<SemVersion> Versions => tags.Keys.Order().ToList();

    /// <summary>Clones the template; null and a problem when git cannot reach it or it has no version tags.</summary>
    public static TemplateSource? Open(string source, string workingDirectory, List<Diagnostic> problems)
    {
        var local = Path.GetFullPath(source, workingDirectory);
        var location = Directory.Exists(local) ? local : source;
        var clone = Path.Combine(Path.GetTempPath(), "gatehouse-template-" + Guid.NewGuid().ToString("N"));
        var result = GitCli.Run(null, ["clone", "--bare", "--quiet", "--", location, clone]);
        if (result.ExitCode != 0)
        {
            TryDelete(clone);
            problems.Add(Diagnostic.Error(TemplateCodes.FetchFailed, SourceLocation.WholeFile(location), $"git cannot fetch the template: {FirstLine(result.Error)}"));
            return null;
        }

        var tags = new Dictionary<SemVersion, string>();
        foreach (var tag in GitCli.Run(clone, ["tag", "--list"]).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (SemVersion.TryParse(tag) is { } version)
            {
                tags.TryAdd(version, tag);
            }
        }

        if (tags.Count == 0)
        {
            TryDelete(clone);
            problems.Add(Diagnostic.Error(TemplateCodes.NoSuchVersion, SourceLocation.WholeFile(location),
                "the template has no version tags; tag a commit with a version, e.g. git tag v1.0.0"));
            return null;
        }

        return new TemplateSource(location, clone, tags);
    }

    public SemVersion Latest => tags.Keys.Max()!;

    /// <summary>The version asked for (1.2.0 or v1.2.0), or the latest release when none is asked for.</summary>
    public SemVersion? Resolve(string? requested, List<Diagnostic> problems)
    {
        if (requested is null)
        {
            return tags.Keys.Where(v => v.PreRelease is null).DefaultIfEmpty(Latest).Max();
        }

        if (SemVersion.TryParse(requested) is { } version && tags.ContainsKey(version))
        {
            return version;
        }

        problems.Add(Diagnostic.Error(TemplateCodes.NoSuchVersion, SourceLocation.WholeFile(Location),
            $"the template has no version '{requested}'; it has: {string.Join(", ", Versions)}"));
        return null;
    }

    /// <summary>Reads one version's template.yaml and files; null and the problems when template.yaml is missing or invalid.</summary>
    public TemplateVersion? Load(SemVersion version, List<Diagnostic> problems)
    {
        var tag = tags[version];
        var files = ReadTree(tag);
        var label = $"{tag}:{TemplateDefinition.FileName}";
        if (!files.Remove(TemplateDefinition.FileName, out var definitionBytes))
        {
            problems.Add(Diagnostic.Error(TemplateCodes.DefinitionMissing, SourceLocation.WholeFile(label),
                $"version {version} has no {TemplateDefinition.FileName} at the repository's root"));
            return null;
        }

        var (definition, diagnostics) = TemplateDefinitionReader.Read(label, definitionBytes);
        problems.AddRange(diagnostics);
        if (definition is null)
        {
            return null;
        }

        if (definition.MinGatehouseVersion is { } minimum && minimum > CurrentGatehouse)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.NeedsNewerGatehouse, SourceLocation.WholeFile(label),
                $"version {version} of the template needs Gatehouse {minimum} or later; this is {CurrentGatehouse}"));
            return null;
        }

        return new TemplateVersion(version, tag, definition, files);
    }

    /// <summary>The version of this gatehouse executable, for minGatehouseVersion.</summary>
    public static SemVersion CurrentGatehouse { get; } = CurrentVersion();

    public void Dispose() => TryDelete(clone);

    private Dictionary<string, byte[]> ReadTree(string tag)
    {
        // ls-tree -z: "MODE TYPE OBJECT\tPATH\0"; only regular files (links and submodules are not template content).
        var entries = new List<(string Sha, string Path)>();
        foreach (var line in GitCli.Run(clone, ["ls-tree", "-r", "-z", "--full-tree", tag + "^{tree}"]).Text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var fields = line[..tab].Split(' ');
            if (fields[1] == "blob" && fields[0] is "100644" or "100755")
            {
                entries.Add((fields[2], line[(tab + 1)..]));
            }
        }

        var request = Encoding.ASCII.GetBytes(string.Concat(entries.Select(e => e.Sha + "\n")));
        var output = GitCli.Run(clone, ["cat-file", "--batch"], request).Output;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var position = 0;
        foreach (var (_, path) in entries)
        {
            // "<sha> blob <size>\n<content>\n"
            var headerEnd = Array.IndexOf(output, (byte)'\n', position);
            var header = Encoding.ASCII.GetString(output, position, headerEnd - position);
            var size = int.Parse(header[(header.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            files[path] = output.AsSpan(headerEnd + 1, size).ToArray();
            position = headerEnd + 1 + size + 1;
        }

        return files;
    }

    private static SemVersion CurrentVersion()
    {
        var version = typeof(TemplateSource).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return new SemVersion(version.Major, version.Minor, Math.Max(0, version.Build), null);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim() is { Length: > 0 } line ? line : "git failed";

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary clone left behind is harmless; the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
