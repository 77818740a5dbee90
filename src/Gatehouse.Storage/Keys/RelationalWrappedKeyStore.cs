using System.Buffers;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Keys;

/// <summary>
/// <see cref="IWrappedKeyStore"/> on the store's own engine. Key ring elements are plain inserts
/// (replicas may race to create the first key: both keys are kept, Data Protection uses either);
/// a re-wrap takes the write lock every writer takes, so two replicas never re-wrap at once.
/// </summary>
internal sealed class RelationalWrappedKeyStore(StoreEngine engine) : IWrappedKeyStore
{
    private static readonly SearchValues<char> IdentifierCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_0123456789");

    public async Task<IReadOnlyList<string>> ListDataProtectionElementsAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var elements = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            elements.Add(reader.GetString(0));
        }

        return elements;
    }

    public async Task<bool> AddDataProtectionElementAsync(string name, string xml, string? kekId, DateTimeOffset createdAt, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        return await Db.ExecuteAsync(lease.Connection, null,
            "INSERT INTO data_protection_keys (name, xml, kek_id, created_at) VALUES (@name, @xml, @kek, @at) ON CONFLICT DO NOTHING", ct,
            ("@name", name), ("@xml", xml), ("@kek", kekId), ("@at", createdAt.ToUnixTimeMilliseconds())) == 1;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByKekAsync(WrappedKeyColumn column, CancellationToken ct = default)
    {
        Check(column);
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null,
            $"SELECT {column.KekIdColumn}, COUNT(*) FROM {column.Table} WHERE {column.KekIdColumn} IS NOT NULL GROUP BY {column.KekIdColumn}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<IReadOnlyDictionary<string, int>> RewrapAsync(IReadOnlyList<WrappedKeyColumn> columns, string targetKekId, Func<WrappedKeyColumn, WrappedKeyRow, string> rewrap, CancellationToken ct = default)
    {
        foreach (var column in columns)
        {
            Check(column);
        }

        var (lease, transaction, _, _) = await engine.BeginWriteAsync(ct);
        await using (lease)
        await using (transaction)
        {
            // Read and re-wrap everything first: a row that cannot be unwrapped throws before any write.
            var updates = new List<(WrappedKeyColumn Column, WrappedKeyRow Row, string Wrapped)>();
            foreach (var column in columns)
            {
                await using var command = Db.Command(lease.Connection, transaction,
                    $"SELECT {column.IdColumn}, {column.KekIdColumn}, {column.WrappedColumn} FROM {column.Table} WHERE {column.KekIdColumn} <> @kek ORDER BY {column.IdColumn}",
                    ("@kek", targetKekId));
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<WrappedKeyRow>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new WrappedKeyRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }

                updates.AddRange(rows.Select(row => (column, row, rewrap(column, row))));
            }

            foreach (var (column, row, wrapped) in updates)
            {
                await Db.ExecuteAsync(lease.Connection, transaction,
                    $"UPDATE {column.Table} SET {column.WrappedColumn} = @wrapped, {column.KekIdColumn} = @kek WHERE {column.IdColumn} = @id AND {column.KekIdColumn} = @old", ct,
                    ("@wrapped", wrapped), ("@kek", targetKekId), ("@id", row.Id), ("@old", row.KekId));
            }

            await transaction.CommitAsync(ct);
            return columns.ToDictionary(c => c.Table, c => updates.Count(u => u.Column == c), StringComparer.Ordinal);
        }
    }

    private static void Check(WrappedKeyColumn column)
    {
        foreach (var name in column.Identifiers)
        {
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(IdentifierCharacters) || char.IsDigit(name[0]))
            {
                throw new ArgumentException($"`{name}` is not a plain SQL identifier.", nameof(column));
            }
        }
    }
}
