using System.Globalization;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Output;

/// <summary>Prints a workspace's findings and a summary line in the chosen format.</summary>
internal static class DiagnosticWriter
{
    public static void Write(ManifestWorkspace workspace, DiagnosticFormat format, TextWriter output)
    {
        switch (format)
        {
            case DiagnosticFormat.Json:
                JsonDiagnosticWriter.Write(workspace, output);
                return;
            case DiagnosticFormat.Sarif:
                SarifDiagnosticWriter.Write(workspace, output);
                return;
            case DiagnosticFormat.GitHub:
                foreach (var diagnostic in workspace.Diagnostics)
                {
                    output.WriteLine(GitHubAnnotation(diagnostic));
                }

                break;
            default:
                foreach (var diagnostic in workspace.Diagnostics)
                {
                    output.WriteLine(diagnostic.ToString());
                }

                break;
        }

        output.WriteLine(Summary(workspace));
    }

    public static string Summary(ManifestWorkspace workspace) =>
        workspace.Diagnostics.Count == 0
            ? $"{Count(workspace.FileCount, "file")} OK"
            : $"{Count(workspace.FileCount, "file")}, {Count(workspace.ErrorCount, "error")}, {Count(workspace.WarningCount, "warning")}";

    // https://docs.github.com/actions/reference/workflow-commands-for-github-actions#setting-an-error-message
    public static string GitHubAnnotation(Diagnostic diagnostic)
    {
        var level = diagnostic.Severity == Severity.Error ? "error" : "warning";
        var at = diagnostic.Location;
        var position = at.Line > 0 ? AnnotationPosition(at) : "";
        return $"::{level} file={Property(at.File)}{position},title={diagnostic.Code}::{Data(diagnostic.Message)}";
    }

    public static string AnnotationPosition(SourceLocation at) => string.Create(CultureInfo.InvariantCulture, $",line={at.Line},col={at.Column}");

    public static string AnnotationData(string value) => Data(value);

    public static string AnnotationProperty(string value) => Property(value);

    private static string Data(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string value) =>
        Data(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
