namespace Gatehouse.Storage.Audit;

/// <summary>
/// Wraps the audit key under the key-encryption key (KEK), which never lives in the database:
/// the store keeps only the wrapped key, in <c>audit_keys</c>, beside the id of the KEK that
/// wrapped it. The server implements it with the same AES-256-GCM wrapping as its OAuth
/// signing keys, so a KEK rotation re-wraps all of them alike.
/// </summary>
public interface IAuditKeyProtection
{
    /// <summary>The public id of the KEK new keys are wrapped with (stored as <c>kek_id</c>).</summary>
    string KekId { get; }

    /// <summary>Wraps <paramref name="key"/>, bound to <paramref name="keyId"/> so it cannot be moved to another row.</summary>
    string Wrap(string keyId, ReadOnlySpan<byte> key);

    /// <summary>Unwraps a stored key; throws, with a message an operator can act on, when the KEK is not the one it was wrapped with.</summary>
    byte[] Unwrap(string keyId, string kekId, string wrappedKey);
}
