using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Yaml;

/// <summary>A node of the small positioned tree the reader builds; line and column are 1-based.</summary>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public SourceLocation At(string file) => new(file, Line, Column);

    /// <summary>How the node reads in a message: "text", "a list", "a mapping" or "nothing".</summary>
    public abstract string Describe();
}

internal sealed class YamlScalar(string value, bool isPlain, int line, int column) : YamlNode(line, column)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>A plain empty, <c>~</c> or <c>null</c> value: YAML's null, which is never a string here.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "nothing" : "text";
}

internal sealed class YamlSequence(int line, int column) : YamlNode(line, column)
{
    public List<YamlNode> Items { get; } = [];

    public override string Describe() => "a list";
}

// A class, not a struct: List<T> over a struct of ours is code ReadyToRun cannot precompile (the
// framework is outside our version bubble), so a cold `validate` jitted a dozen List methods for it.
internal sealed record YamlEntry(YamlScalar Key, YamlNode Value);

internal sealed class YamlMapping(int line, int column) : YamlNode(line, column)
{
    public List<YamlEntry> Entries { get; } = [];

    public override string Describe() => "a mapping";
}
