namespace Gatehouse.Cli.Output;

/// <summary>How findings are printed: for people, for programs, or as GitHub Actions annotations.</summary>
internal enum DiagnosticFormat
{
    Text,
    Json,
    GitHub,
    Sarif,
}
