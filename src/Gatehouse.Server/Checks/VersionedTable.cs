using System.Collections.Concurrent;

namespace Gatehouse.Server.Checks;

/// <summary>
/// A bounded map whose entries count only at the store change version they were filled at
/// (ADR 0009): the one rule behind every cache on the decision path.
/// </summary>
internal sealed class VersionedTable<TKey, TValue>(int capacity, IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (long Version, TValue Value)> _entries = new(comparer);
    private int _writes;

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
        // Counting writes, not entries (ConcurrentDictionary.Count takes every lock): a table is
        // emptied a little more often than strictly needed, which costs only misses.
        if (Interlocked.Increment(ref _writes) > capacity)
        {
            Interlocked.Exchange(ref _writes, 0);
            _entries.Clear();
        }

        _entries[key] = (version, value);
    }
}
