using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Audit;

/// <summary>
/// The audit key of one database, unwrapped at start-up by <see cref="IGatehouseStore.MigrateAsync"/>:
/// every write hashes its events with it, verification recomputes with it, checkpoints are signed
/// with a key derived from it. Held only in memory.
/// </summary>
internal sealed class AuditKey
{
    private readonly byte[]? _secret;
    private readonly Func<AuditEvent, string> _hash;

    private AuditKey(string id, byte[]? secret, Func<AuditEvent, string> hash)
    {
        Id = id;
        _secret = secret;
        _hash = hash;
    }

    public static AuditKey Create(string id, byte[] secret)
    {
        if (secret.Length != AuditChain.KeySize)
        {
            throw new InvalidOperationException($"The audit key {id} does not have {AuditChain.KeySize} bytes: the audit_keys row was changed.");
        }

        return new AuditKey(id, secret, e => AuditChain.ComputeHash(secret, e));
    }

    /// <summary>
    /// The unkeyed version 1 chain, for tests that build a database of an older schema (as an
    /// older Gatehouse wrote it) to test the upgrade. Never used on a current schema.
    /// </summary>
    public static AuditKey LegacyForOldSchema { get; } = new("legacy-v1", null, AuditChain.ComputeLegacyHash);

    public string Id { get; }

    public string Hash(AuditEvent e) => _hash(e);

    public AuditChainVerifier Verifier() => new(_hash);

    /// <summary>A reusable hasher for a writer of many events; null for the unkeyed legacy chain, which hashes through <see cref="Hash"/>.</summary>
    public AuditEventHasher? CreateHasher() => _secret is null ? null : new AuditEventHasher(_secret);

    public byte[] CheckpointKey => AuditCheckpoints.SigningKey(_secret ?? throw new InvalidOperationException("An unkeyed chain has no checkpoints."));
}
