namespace Gatehouse.Storage.Keys;

/// <summary>
/// Migration 6: the ASP.NET Core Data Protection key ring, one row per XML element (a key, or a
/// revocation). A key's secret inside <c>xml</c> is wrapped under the key-encryption key, whose id
/// is copied into <c>kek_id</c> so a rotation finds what it must re-wrap without parsing XML;
/// an element without a secret (a revocation) has none.
/// </summary>
internal static class KeySchema
{
    public static readonly Relational.Migrations.Migration Migration = new(6, "data-protection-keys", """
        CREATE TABLE data_protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL,
            kek_id TEXT,
            created_at BIGINT NOT NULL
        );
        """);
}
