using System.Text.RegularExpressions;

namespace Gatehouse.Core.Templates;

/// <summary>
/// The limits the server holds a template record and a publication to, one check per field so
/// every refusal names the field it is about (GH7030, GH7031).
/// </summary>
public static partial class TemplateRecordRules
{
    public const int MaxSourceLength = 2048;
    public const int MaxNoteLength = 20_000;
    public const int MaxVersions = 2000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NameShape();

    /// <summary>A problem with a source (a path or a git URL), or null.</summary>
    public static string? SourceProblem(string? source) => source switch
    {
        null or { Length: 0 } => "is missing; it is the template's git URL or path",
        _ when string.IsNullOrWhiteSpace(source) => "is blank; it is the template's git URL or path",
        { Length: > MaxSourceLength } => $"is longer than {MaxSourceLength} characters",
        _ when source.Any(char.IsControl) => "holds a control character",
        _ => null,
    };

    /// <summary>A problem with a version, or null.</summary>
    public static string? VersionProblem(string? version) => version switch
    {
        null or { Length: 0 } => "is missing; it is a version like 1.2.0",
        _ when SemVersion.TryParse(version) is null => $"'{Shorten(version)}' is not a version like 1.2.0 or v1.2.0-rc.1",
        _ => null,
    };

    /// <summary>A problem with a template name, or null.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null or { Length: 0 } => "is missing",
        _ when !NameShape().IsMatch(name) => $"'{Shorten(name)}' is not a template name (letters, digits, '.', '_' and '-', at most 100, starting with a letter or digit)",
        _ => null,
    };

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
