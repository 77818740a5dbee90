namespace Gatehouse.Server.Checks;

/// <summary>
/// A bounded map whose entries count only at the store change version they were filled at
/// (ADR 0009): the one rule behind every cache on the decision path. Bounded by entries and by
/// an estimate of the bytes they hold, so neither many entries nor long ones can grow it past
/// its budget. Past either bound it evicts (ADR 0043): first every entry of an older version,
/// which can never answer again, then entries drawn at random until a quarter of the bound is
/// free. Once an eviction had to draw (more keys asked than the table holds), a key is admitted
/// only on its second miss, so keys asked once (a million grants, each decided once in a while)
/// neither push out the ones asked again nor churn the heap. A lookup is the same dictionary read
/// as before; only a miss that fills pays for admission and eviction.
/// </summary>
internal sealed class VersionedTable<TKey, TValue>(string name, int capacity, long maxBytes, Func<TKey, TValue, long> size, IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    /// <summary>What a dictionary entry costs beyond its key and value: node, hash, version, references.</summary>
    public const long EntryOverhead = 64;

    /// <summary>After an eviction the table holds at most this share of each bound.</summary>
    private const double KeptShare = 0.75;

    /// <summary>Bits of the admission filter: about 8 per entry of capacity, at least 2^16 (8 KiB).</summary>
    private readonly int _seenShift = 32 - Math.Max(16, System.Numerics.BitOperations.Log2((uint)Math.Max(1, capacity) * 8u) + 1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TKey, (long Version, TValue Value)> _entries = new(comparer);
    private int[]? _seen;
    private int _seenCount;
    private volatile bool _filtering;
    private int _writes;
    private long _bytes;
    private int _evicting;

    /// <summary>The name under which <c>/metrics</c> reports it.</summary>
    public string Name { get; } = name;

    /// <summary>The byte budget.</summary>
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Estimated bytes held (an over-estimate between evictions: a rewritten key counts twice).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Entries written since the last eviction counted them (an over-estimate, like <see cref="Bytes"/>).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public TValue? Get(TKey key, long version) => TryGet(key, version, out var value) ? value : default;

    public bool TryGet(TKey key, long version, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Put(TKey key, long version, TValue value)
    {
        var bytes = EntryOverhead + size(key, value);
        if (bytes > MaxBytes)
        {
            return;
        }

        if (_filtering && !SeenBefore(key))
        {
            return;
        }

        // Counting writes, not entries (ConcurrentDictionary.Count takes every lock); an eviction
        // counts what is left exactly.
        if (Volatile.Read(ref _writes) >= capacity || Interlocked.Read(ref _bytes) + bytes > MaxBytes)
        {
            Evict(version);
        }

        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytes, bytes);
        _entries[key] = (version, value);
    }

    /// <summary>
    /// Makes room: entries of a version older than <paramref name="version"/> first, then a random
    /// draw of the rest, down to <see cref="KeptShare"/> of each bound. One thread at a time; a put
    /// racing with it goes in and is counted, and the next put past a bound evicts again.
    /// </summary>
    private void Evict(long version)
    {
        if (Interlocked.Exchange(ref _evicting, 1) == 1)
        {
            return;
        }

        try
        {
            var writesBefore = Volatile.Read(ref _writes);
            var bytesBefore = Interlocked.Read(ref _bytes);
            var (count, held) = Sweep(version, 1, int.MaxValue, long.MaxValue);
            var keptCount = (int)(capacity * KeptShare);
            var keptBytes = (long)(MaxBytes * KeptShare);
            var share = Math.Max((double)count / keptCount, (double)held / keptBytes);
            if (share > 1)
            {
                (count, held) = Sweep(version, 1 / share, keptCount, keptBytes);
            }

            // Filter admissions while the keys asked do not fit; stop once older versions alone made room.
            _filtering = share > 1;

            Interlocked.Add(ref _writes, count - writesBefore);
            Interlocked.Add(ref _bytes, held - bytesBefore);
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    /// <summary>
    /// Whether <paramref name="key"/> missed before (a bit per hash, so now and then a key is
    /// admitted on its first miss); the filter starts again once half its bits are set.
    /// </summary>
    private bool SeenBefore(TKey key)
    {
        var seen = _seen ??= new int[(1 << (32 - _seenShift)) / 32];
        var bit = (uint)comparer.GetHashCode(key) * 0x9E3779B9u >> _seenShift;
        var mask = 1 << (int)(bit & 31);
        ref var word = ref seen[bit >> 5];
        if ((Volatile.Read(ref word) & mask) != 0)
        {
            return true;
        }

        Interlocked.Or(ref word, mask);
        if (Interlocked.Increment(ref _seenCount) > seen.Length * 16)
        {
            Interlocked.Exchange(ref _seenCount, 0);
            Array.Clear(seen);
        }

        return false;
    }

    /// <summary>
    /// Removes every entry older than <paramref name="version"/>, and keeps each other one with
    /// probability <paramref name="keepShare"/> while the kept ones stay within both limits.
    /// Returns what was kept.
    /// </summary>
    private (int Count, long Bytes) Sweep(long version, double keepShare, int maxCount, long maxBytes)
    {
        var count = 0;
        var held = 0L;
        foreach (var entry in _entries)
        {
            var bytes = EntryOverhead + size(entry.Key, entry.Value.Value);
            if (entry.Value.Version < version
                || (keepShare < 1 && Random.Shared.NextDouble() >= keepShare)
                || count >= maxCount
                || held + bytes > maxBytes)
            {
                _entries.TryRemove(entry);
            }
            else
            {
                count++;
                held += bytes;
            }
        }

        return (count, held);
    }
}

/// <summary>Byte estimates for cache entries (64-bit runtime: object header and length included).</summary>
internal static class CacheSizes
{
    public static long Of(string? text) => text is null ? 0 : 24 + (2L * text.Length);

    public static long Of(IReadOnlyCollection<string> texts)
    {
        var total = 32L + (8L * texts.Count);
        foreach (var text in texts)
        {
            total += Of(text);
        }

        return total;
    }
}
