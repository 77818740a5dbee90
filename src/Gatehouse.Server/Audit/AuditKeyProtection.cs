using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Server.Audit;

/// <summary>
/// Wraps the audit key as every key in the database is wrapped: AES-256-GCM under the
/// key-encryption key, base64, with the KEK's id stored beside it, bound to its row by the
/// purpose <c>audit-key</c> and the key's id. A KEK rotation re-wraps it with the other wrapped
/// columns (<see cref="KeyProtection.KekWrappedColumns"/>); a row that does not unwrap stops the
/// start with GH4150/GH4151 (<see cref="StoredKeyException"/>).
/// </summary>
internal sealed class AuditKeyProtection(KeyEncryption kek) : IAuditKeyProtection
{
    public const string Purpose = "audit-key";

    public string KekId => kek.KekId;

    public string Wrap(string keyId, ReadOnlySpan<byte> key) => kek.Wrap(Purpose, keyId, key);

    public byte[] Unwrap(string keyId, string kekId, string wrappedKey) => kek.Unwrap(Purpose, keyId, kekId, wrappedKey);
}
