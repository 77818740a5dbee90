namespace Gatehouse.Server.Checks;

/// <summary>
/// A bounded map whose entries count only at the store change version they were filled at
/// (ADR 0009): the one rule behind every cache on the decision path. Bounded by entries and by
/// an estimate of the bytes they hold, so neither many entries nor long ones can grow it past
/// its budget; past either bound the table is emptied and refills from the store.
/// </summary>
internal sealed class VersionedTable<TKey, TValue>(string name, int capacity, long maxBytes, Func<TKey, TValue, long> size, IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    /// <summary>What a dictionary entry costs beyond its key and value: node, hash, version, references.</summary>
    public const long EntryOverhead = 64;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TKey, (long Version, TValue Value)> _entries = new(comparer);
    private int _writes;
    private long _bytes;

    /// <summary>The name under which <c>/metrics</c> reports it.</summary>
    public string Name { get; } = name;

    /// <summary>The byte budget.</summary>
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Estimated bytes written since the table was last emptied (an over-estimate: a rewritten key counts twice).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

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

        // Counting writes, not entries (ConcurrentDictionary.Count takes every lock): a table is
        // emptied a little more often than strictly needed, which costs only misses.
        if (Interlocked.Increment(ref _writes) > capacity || Interlocked.Add(ref _bytes, bytes) > MaxBytes)
        {
            Interlocked.Exchange(ref _writes, 1);
            Interlocked.Exchange(ref _bytes, bytes);
            _entries.Clear();
        }

        _entries[key] = (version, value);
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
