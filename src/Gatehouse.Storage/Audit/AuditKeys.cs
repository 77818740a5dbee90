using System.Data.Common;
using System.Security.Cryptography;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Audit;

/// <summary>The one audit key of a database: made once with migration 5, unwrapped at every start.</summary>
internal static class AuditKeys
{
    /// <summary>
    /// Makes a random key, stores it wrapped and re-chains the events written before it, all in
    /// the migration's transaction: a database at version 5 never holds an unkeyed chain.
    /// </summary>
    public static async Task CreateAsync(StoreEngine engine, DbConnection connection, DbTransaction transaction, IAuditKeyProtection protection, long now, CancellationToken ct)
    {
        var secret = RandomNumberGenerator.GetBytes(AuditChain.KeySize);
        var id = "ak_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await Db.ExecuteAsync(connection, transaction,
            "INSERT INTO audit_keys (id, kek_id, wrapped_key, created_at) VALUES (@id, @kek, @wrapped, @at)", ct,
            ("@id", id), ("@kek", protection.KekId), ("@wrapped", protection.Wrap(id, secret)), ("@at", now));
        await AuditChainUpgrade.RechainAsync(engine, connection, transaction, AuditKey.Create(id, secret), now, ct);
    }

    public static async Task<AuditKey> LoadAsync(StoreEngine engine, IAuditKeyProtection protection, CancellationToken ct)
    {
        await using var lease = await engine.OpenAsync(ct);
        var rows = new List<(string Id, string KekId, string Wrapped)>();
        await using (var command = Db.Command(lease.Connection, null, "SELECT id, kek_id, wrapped_key FROM audit_keys"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        // Fail closed: the key is made with the schema, so a missing or extra row means the table was changed.
        if (rows.Count != 1)
        {
            throw new InvalidOperationException(rows.Count == 0
                ? "The audit key is missing (table audit_keys is empty): the audit log cannot be verified or continued. Restore the database from a backup, with the key-encryption key it was made with."
                : $"audit_keys holds {rows.Count} keys where Gatehouse made one: the table was changed. Restore the database from a backup.");
        }

        var (id, kekId, wrapped) = rows[0];
        return AuditKey.Create(id, protection.Unwrap(id, kekId, wrapped));
    }
}
