using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Output;

/// <summary>
/// <c>validate --format sarif</c>: SARIF 2.1.0 (OASIS), which code-scanning views (GitHub's
/// upload-sarif, GitLab, Azure DevOps) show as findings on the manifest lines. One rule per
/// code that occurs, linking to its entry in docs/errors.md; file paths are relative URIs, so
/// they resolve against the checkout.
/// </summary>
internal static class SarifDiagnosticWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static void Write(ManifestWorkspace workspace, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "gatehouse");
            json.WriteString("informationUri", "https://gatehouse.dev/docs/cli");
            json.WriteString("semanticVersion", CliVersion.Semantic);
            json.WriteStartArray("rules");
            var codes = workspace.Diagnostics.Select(d => d.Code).Distinct().Order(StringComparer.Ordinal).ToList();
            foreach (var code in codes)
            {
                json.WriteStartObject();
                json.WriteString("id", code);
                json.WriteString("helpUri", DiagnosticCodes.HelpUri(code).ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var d in workspace.Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", d.Code);
                json.WriteNumber("ruleIndex", codes.IndexOf(d.Code));
                json.WriteString("level", d.Severity == Severity.Error ? "error" : "warning");
                json.WriteStartObject("message");
                json.WriteString("text", d.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", RelativeUri(d.Location.File));
                json.WriteEndObject();
                if (d.Location.Line > 0)
                {
                    json.WriteStartObject("region");
                    json.WriteNumber("startLine", d.Location.Line);
                    json.WriteNumber("startColumn", Math.Max(1, d.Location.Column));
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A path as a relative URI reference: forward slashes, each segment percent-encoded.</summary>
    public static string RelativeUri(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
}

/// <summary>The version of this build, from the assembly's informational version (Directory.Build.props) without the commit.</summary>
internal static class CliVersion
{
    public static readonly string Semantic =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
