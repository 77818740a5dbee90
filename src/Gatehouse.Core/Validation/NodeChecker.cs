using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Validation;

/// <summary>
/// Shape checks shared by the manifest and organisation validators. Each check reports what
/// is wrong and returns null, so a validator carries on and reports every problem in the file.
/// </summary>
internal sealed class NodeChecker(string file, FileKind kind, List<Diagnostic> diagnostics)
{
    /// <summary>Longest description, reason or deprecation message: enough for a paragraph, not a document.</summary>
    public const int MaxTextLength = 1000;

    public string File { get; } = file;

    public FileKind Kind { get; } = kind;

    public bool HasErrors { get; private set; }

    public void Error(string code, YamlNode at, string message) => Error(code, at.At(File), message);

    public void Error(string code, SourceLocation at, string message)
    {
        HasErrors = true;
        diagnostics.Add(Diagnostic.Error(code, at, message));
    }

    /// <summary>A finding that does not fail validation: the file works, but a person will trip over it.</summary>
    public void Warning(string code, YamlNode at, string message) => diagnostics.Add(Diagnostic.Warning(code, at.At(File), message));

    public void Warning(string code, SourceLocation at, string message) => diagnostics.Add(Diagnostic.Warning(code, at, message));

    public YamlMapping? Mapping(YamlNode node, string what)
    {
        if (node is YamlMapping mapping)
        {
            return mapping;
        }

        WrongType(node, what, "a mapping of keys and values");
        return null;
    }

    public YamlSequence? List(YamlNode node, string what, string example)
    {
        if (node is YamlSequence sequence)
        {
            return sequence;
        }

        WrongType(node, what, $"a list, e.g. {example}");
        return null;
    }

    public string? Text(YamlNode node, string what)
    {
        if (node is not YamlScalar { IsNull: false } scalar)
        {
            WrongType(node, what, "text");
            return null;
        }

        if (scalar.Value.Length > MaxTextLength)
        {
            Error(Kind.TextTooLong, node, $"{what} is {scalar.Value.Length} characters long; the limit is {MaxTextLength}");
        }

        return scalar.Value;
    }

    public void WrongType(YamlNode node, string what, string expected)
    {
        var message = node is YamlScalar { IsNull: true }
            ? $"{what} has no value; expected {expected}"
            : $"{what} must be {expected}, not {node.Describe()}";
        Error(Kind.WrongType, node, message);
    }

    public void UnknownKey(YamlScalar key, string where, IReadOnlyList<string> allowed, string? hint = null)
    {
        var suggestion = Suggestions.Closest(key.Value, allowed) is { } match
            ? $"; did you mean '{match}'?"
            : $"; expected one of: {string.Join(", ", allowed)}";
        Error(Kind.UnknownKey, key, $"unknown key '{key.Value}' in {where}{suggestion}{hint}");
    }

    public void Missing(YamlNode at, string where, string key, string hint) =>
        Error(Kind.MissingKey, at, $"{where} is missing '{key}': {hint}");
}
