using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Output;

/// <summary>
/// The <c>--format json</c> document: counts and every finding. Line and column are 0 for a
/// finding about a whole file. Written by hand with Utf8JsonWriter: no reflection, stable shape.
/// </summary>
internal static class JsonDiagnosticWriter
{
    public static void Write(ManifestWorkspace workspace, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("files", workspace.FileCount);
            json.WriteNumber("errors", workspace.ErrorCount);
            json.WriteNumber("warnings", workspace.WarningCount);
            json.WriteStartArray("diagnostics");
            foreach (var diagnostic in workspace.Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("code", diagnostic.Code);
                json.WriteString("severity", diagnostic.Severity == Severity.Error ? "error" : "warning");
                json.WriteString("file", diagnostic.Location.File);
                json.WriteNumber("line", diagnostic.Location.Line);
                json.WriteNumber("column", diagnostic.Location.Column);
                json.WriteString("message", diagnostic.Message);
                json.WriteString("help", DiagnosticCodes.HelpUri(diagnostic.Code).ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
