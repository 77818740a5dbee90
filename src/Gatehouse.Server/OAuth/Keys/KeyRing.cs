using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>
/// The signing keys of this issuer, rotated on a fixed schedule that every replica computes the
/// same way: period n runs from n×rotation; its key is created <c>KeyPublishLead</c> before the
/// period starts (published in the JWKS, not yet signing), signs from the period start until the
/// next key activates, and stays published until the tokens it signed have expired. The
/// (algorithm, period) uniqueness in the store makes concurrent replicas converge on one key.
/// </summary>
internal sealed class KeyRing(IOAuthStore store, KeyEncryption encryption, OAuthOptions options, TimeProvider time) : IDisposable
{
    /// <summary>How long a replica trusts its snapshot; also added to the removal delay.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, SigningKey> _loaded = [];
    private volatile KeyRingSnapshot? _snapshot;

    public async ValueTask<KeyRingSnapshot> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() < snapshot.RefreshAt)
        {
            return snapshot;
        }

        await _refresh.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            var now = time.GetUtcNow();
            if (snapshot is null || now >= snapshot.RefreshAt)
            {
                snapshot = await BuildAsync(now, ct);
                _snapshot = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<KeyRingSnapshot> BuildAsync(DateTimeOffset now, CancellationToken ct)
    {
        var records = (await store.ListSigningKeysAsync(ct)).ToList();
        var period = Period(now);
        var created = await EnsureKeyAsync(records, period, now, ct);
        if (now >= NextCreation(period))
        {
            created |= await EnsureKeyAsync(records, period + 1, now, ct);
        }

        if (created)
        {
            // Another replica may have won a race: read back what the store kept.
            records = [.. await store.ListSigningKeysAsync(ct)];
        }

        var keys = records.Select(Load).OrderBy(k => k.ActivatesAt).ThenBy(k => k.CreatedAt).ThenBy(k => k.Kid, StringComparer.Ordinal).ToList();
        return KeyRingSnapshot.Create(keys, now, options.AccessTokenLifetime + options.ClockSkew + RefreshInterval, NextCreation(period));
    }

    /// <summary>
    /// When the next period's key is made: its publish lead before the period starts, plus two
    /// refresh intervals so that some replica makes it in time and it activates on schedule.
    /// </summary>
    private DateTimeOffset NextCreation(long period) => Start(period + 1) - options.KeyPublishLead - (2 * RefreshInterval);

    private async Task<bool> EnsureKeyAsync(List<SigningKeyRecord> records, long period, DateTimeOffset now, CancellationToken ct)
    {
        if (records.Any(r => r.Algorithm == options.SigningAlgorithm && r.Slot == period))
        {
            return false;
        }

        // The very first key signs at once (nobody can hold an older JWKS); any later key is
        // published for at least the lead time before it signs, even when created late.
        var activatesAt = records.Any(r => r.ActivatesAt <= now)
            ? Max(Start(period), now + options.KeyPublishLead)
            : now;
        var record = SigningKeyFactory.Generate(options.SigningAlgorithm, period, now, activatesAt, encryption);
        await store.AddSigningKeyAsync(record, ct);
        records.Add(record);
        return true;
    }

    private SigningKey Load(SigningKeyRecord record)
    {
        if (!_loaded.TryGetValue(record.Kid, out var key))
        {
            key = SigningKeyFactory.Load(record, encryption);
            _loaded[record.Kid] = key;
        }

        return key;
    }

    private long Period(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / (long)options.KeyRotation.TotalMilliseconds;

    private DateTimeOffset Start(long period) => DateTimeOffset.FromUnixTimeMilliseconds(period * (long)options.KeyRotation.TotalMilliseconds);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public void Dispose() => _refresh.Dispose();
}
