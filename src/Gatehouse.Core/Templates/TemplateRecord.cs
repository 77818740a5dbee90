using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Templates;

/// <summary>
/// A project's <c>.gatehouse/template.yaml</c>: the template it came from, the version, the
/// answers, and the hash of every file the template produced (what that version wrote, not the
/// project's current content), so an update can tell a project's edits from the template's.
/// </summary>
public sealed record TemplateRecord(
    string Source,
    SemVersion Version,
    IReadOnlyDictionary<string, string> Answers,
    IReadOnlyDictionary<string, string> Files)
{
    /// <summary>Where the record lives, relative to the project root.</summary>
    public const string RelativePath = ".gatehouse/template.yaml";

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The hash stored for a produced file: <c>sha256:</c> and lowercase hex.</summary>
    public static string Hash(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public string ToYaml()
    {
        var text = new StringBuilder();
        text.Append("# Written by 'gatehouse new' and 'gatehouse template update'; 'gatehouse template update' reads it.\n");
        text.Append("# The hashes are of what the template produced, so an update can tell your edits from the template's.\n");
        text.Append("source: ").Append(Quote(Source)).Append('\n');
        text.Append("version: ").Append(Quote(Version.ToString())).Append('\n');
        Map(text, "answers", Answers);
        Map(text, "files", Files);
        return text.ToString();
    }

    public static (TemplateRecord? Record, IReadOnlyList<Diagnostic> Diagnostics) Read(string file, ReadOnlySpan<byte> content)
    {
        var document = YamlReader.Read(file, content);
        if (document.Root is null)
        {
            return (null, document.Diagnostics);
        }

        var problems = new List<Diagnostic>(document.Diagnostics);
        if (document.Root is not YamlMapping top)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, document.Root.At(file), "must be a mapping with source, version, answers and files"));
            return (null, problems);
        }

        string? source = null;
        SemVersion? version = null;
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in top.Entries)
        {
            switch (key.Value)
            {
                case "source" when value is YamlScalar { IsNull: false } s:
                    source = s.Value;
                    break;
                case "version" when value is YamlScalar { IsNull: false } v:
                    version = SemVersion.TryParse(v.Value);
                    if (version is null)
                    {
                        problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, value.At(file), $"version '{v.Value}' is not a version like 1.2.0"));
                    }

                    break;
                case "answers":
                    ReadMap(file, value, answers, problems);
                    break;
                case "files":
                    ReadMap(file, value, files, problems);
                    break;
                default:
                    problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, key.At(file), $"unexpected '{key.Value}'; expected source (text), version (text), answers and files (mappings)"));
                    break;
            }
        }

        if (source is null || version is null)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, top.At(file), "needs source and version; restore the file from git or run 'gatehouse new' again"));
        }

        return problems.Any(p => p.Severity == Severity.Error)
            ? (null, problems)
            : (new TemplateRecord(source!, version!, answers, files), problems);
    }

    private static void ReadMap(string file, YamlNode node, Dictionary<string, string> into, List<Diagnostic> problems)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return;
        }

        if (node is not YamlMapping mapping)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, node.At(file), $"must be a mapping, not {node.Describe()}"));
            return;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            if (value is YamlScalar { IsNull: false } scalar)
            {
                into[key.Value] = scalar.Value;
            }
            else
            {
                problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordInvalid, value.At(file), $"'{key.Value}' must be text"));
            }
        }
    }

    private static void Map(StringBuilder text, string name, IReadOnlyDictionary<string, string> values)
    {
        text.Append(name).Append(':');
        if (values.Count == 0)
        {
            text.Append(" {}\n");
            return;
        }

        text.Append('\n');
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append("  ").Append(Quote(key)).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    // A JSON string is a YAML double-quoted scalar: every answer and path round-trips, whatever it holds.
    private static string Quote(string value) => JsonSerializer.Serialize(value, Quoting);
}
