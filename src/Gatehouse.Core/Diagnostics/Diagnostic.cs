namespace Gatehouse.Core.Diagnostics;

/// <summary>How serious a finding is: an error fails validation, a warning does not.</summary>
public enum Severity
{
    Warning,
    Error,
}

/// <summary>A position in a source file. Line and column are 1-based; 0 means "the whole file".</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation WholeFile(string file) => new(file, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>
/// One finding about a manifest or organisation file. <see cref="Code"/> is stable
/// (GH + four digits) and documented in docs/errors.md.
/// </summary>
public sealed record Diagnostic(string Code, Severity Severity, SourceLocation Location, string Message)
{
    public static Diagnostic Error(string code, SourceLocation at, string message) => new(code, Severity.Error, at, message);

    public static Diagnostic Warning(string code, SourceLocation at, string message) => new(code, Severity.Warning, at, message);

    public override string ToString() =>
        $"{Location}: {(Severity == Severity.Error ? "error" : "warning")}: {Message} [{Code}]";
}
