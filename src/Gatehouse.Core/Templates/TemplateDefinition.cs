namespace Gatehouse.Core.Templates;

/// <summary>The kinds of answer a question takes.</summary>
#pragma warning disable CA1720 // the members are the type names template.yaml uses
public enum QuestionType
{
    String,
    Bool,
    Choice,
    Int,
}
#pragma warning restore CA1720

/// <summary>One question of a template; its answer is a variable of the same name in Liquid.</summary>
public sealed record TemplateQuestion(
    string Name,
    string? Help,
    QuestionType Type,
    string? Default,
    string? Pattern,
    IReadOnlyList<string> Choices);

/// <summary>Files matching <see cref="Paths"/> are produced only when <see cref="Condition"/> (a Liquid expression) holds.</summary>
public sealed record TemplateFileCondition(IReadOnlyList<PathGlob> Paths, string Condition);

/// <summary>A file the template moved: <see cref="From"/> in an older version is <see cref="To"/> now (template paths).</summary>
public sealed record TemplateRename(string From, string To);

/// <summary>A template's <c>template.yaml</c>, read and validated.</summary>
public sealed record TemplateDefinition(
    string? Name,
    string? Description,
    SemVersion? MinGatehouseVersion,
    IReadOnlyList<TemplateQuestion> Questions,
    IReadOnlyList<PathGlob> Skip,
    IReadOnlyList<TemplateFileCondition> When,
    IReadOnlyList<PathGlob> Verbatim,
    IReadOnlyList<TemplateRename> Renamed,
    IReadOnlyList<KeyValuePair<SemVersion, string>> Migrations)
{
    /// <summary>The file at a template's root that declares it.</summary>
    public const string FileName = "template.yaml";

    /// <summary>The migration notes of the versions after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public IEnumerable<KeyValuePair<SemVersion, string>> NotesBetween(SemVersion from, SemVersion to) =>
        Migrations.Where(n => n.Key > from && n.Key <= to).OrderBy(n => n.Key);
}
