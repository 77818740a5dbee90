namespace Gatehouse.Storage.Keys;

/// <summary>
/// A column that holds key material wrapped under the key-encryption key (KEK), with the id of
/// that KEK in another column of the same row. Names are SQL identifiers, never user input.
/// </summary>
public sealed record WrappedKeyColumn(string Table, string IdColumn, string KekIdColumn, string WrappedColumn)
{
    /// <summary>The names, checked to be plain identifiers before they go into SQL text.</summary>
    internal IEnumerable<string> Identifiers => [Table, IdColumn, KekIdColumn, WrappedColumn];
}

/// <summary>One row of a <see cref="WrappedKeyColumn"/>: its id, the id of the KEK it is wrapped under, and the wrapped value.</summary>
public sealed record WrappedKeyRow(string Id, string KekId, string Wrapped);
