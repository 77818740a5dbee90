using Gatehouse.Storage.Relational.Migrations;

namespace Gatehouse.Storage.Audit;

/// <summary>
/// Migration 5: the audit key, wrapped under the key-encryption key like the OAuth signing keys
/// (<c>kek_id</c> names the KEK, <c>wrapped_key</c> is base64 AES-256-GCM). In the same
/// transaction the store creates the key and re-chains the events an older Gatehouse wrote
/// (<see cref="AuditChainUpgrade"/>), so a database at version 5 always has a keyed chain.
/// </summary>
internal static class AuditKeySchema
{
    public const int Version = 5;

    public static readonly Migration Migration = new(Version, "audit-key", """
        CREATE TABLE audit_keys (
            id TEXT PRIMARY KEY,
            kek_id TEXT NOT NULL,
            wrapped_key TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        """);
}
