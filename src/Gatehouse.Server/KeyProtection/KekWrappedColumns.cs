using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// Every column that holds key material wrapped under the key-encryption key. The start checks
/// that this server holds the KEK of every row, and a rotation re-wraps every row, from this one
/// list: a new wrapped column is one more line here.
/// </summary>
internal static class KekWrappedColumns
{
    public static readonly IReadOnlyList<KekWrappedColumn> All =
    [
        KekWrappedColumn.Value("oauth_signing_keys", "kid", "kek_id", "protected_private_key", KeyEncryption.SigningKeyPurpose),
        KekWrappedColumn.Value("audit_keys", "id", "kek_id", "wrapped_key", Audit.AuditKeyProtection.Purpose),
        new(KekXmlEncryptor.Column, KekXmlEncryptor.Rewrap),
    ];
}
