namespace Gatehouse.Core.Tests.Schema;

/// <summary>One schema violation: a JSON Pointer into the instance (the offending key) and what is wrong.</summary>
internal sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}
