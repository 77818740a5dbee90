using System.Security.Cryptography;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Server.Audit;

/// <summary>
/// Wraps the audit key exactly as the OAuth signing keys are wrapped: AES-256-GCM under the
/// key-encryption key, base64, with the KEK's id stored beside it. The associated data binds the
/// wrapped key to its row: the id <c>audit-key:&lt;id&gt;</c> (so, in <see cref="KeyEncryption"/>'s
/// terms, <c>gatehouse-signing-key:audit-key:&lt;id&gt;</c>); a KEK rotation re-wraps it with that id.
/// </summary>
internal sealed class AuditKeyProtection(KeyEncryption kek) : IAuditKeyProtection
{
    public const string IdPrefix = "audit-key:";

    public string KekId => kek.KekId;

    public string Wrap(string keyId, ReadOnlySpan<byte> key) => kek.Protect(IdPrefix + keyId, key);

    public byte[] Unwrap(string keyId, string kekId, string wrappedKey)
    {
        try
        {
            return kek.Unprotect(IdPrefix + keyId, kekId, wrappedKey);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new ConfigurationProblemException(
                $"the audit key {keyId} cannot be unwrapped with key-encryption key {kek.KekId}: the audit_keys row was changed. Restore the database from a backup.");
        }
    }
}
