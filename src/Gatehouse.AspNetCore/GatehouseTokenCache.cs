using System.Collections.Concurrent;
using System.Security.Claims;

namespace Gatehouse.AspNetCore;

/// <summary>
/// Tokens whose signature, issuer, audience, type and algorithm this process has verified, keyed
/// on the whole token text: a token differing in any character (another signature on the same
/// payload, say) is another key and is verified in full. Only a verified token is ever added. An
/// entry is used only with the very keys and options it was verified under (a key refresh or an
/// options change verifies every token again), and its <c>exp</c> and <c>nbf</c> are checked on
/// the caller's clock at every use, so a cached token expires exactly when an uncached one does.
/// Bounded by <see cref="GatehouseTokenOptions.TokenCacheSize"/> entries: when full, it starts
/// over, which keeps each request's cost constant and the memory bounded under any load.
/// </summary>
internal sealed class GatehouseTokenCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private int _count;

    public GatehouseTokenCache()
    {
        _entries = new(StringComparer.Ordinal);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>(); // looks up the header's text without copying it
    }

    /// <summary>What a verified token proved, and under what it was verified.</summary>
    internal sealed class Entry(object keys, GatehouseTokenOptions options, Claim[] claims, DateTimeOffset expires, DateTimeOffset? notBefore)
    {
        public object Keys { get; } = keys;

        public GatehouseTokenOptions Options { get; } = options;

        public Claim[] Claims { get; } = claims;

        public DateTimeOffset Expires { get; } = expires;

        public DateTimeOffset? NotBefore { get; } = notBefore;

        public bool IsCurrent(DateTimeOffset now, TimeSpan skew) => Expires + skew > now && !(NotBefore > now + skew);
    }

    /// <summary>How many tokens are held (for tests).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The claims of <paramref name="token"/> if it was verified under <paramref name="keys"/> and
    /// <paramref name="options"/> and is within its lifetime now; an entry that has expired is dropped.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> token, object keys, GatehouseTokenOptions options, DateTimeOffset now, out Claim[] claims)
    {
        claims = [];
        if (!_bySpan.TryGetValue(token, out var entry))
        {
            return false;
        }

        if (!entry.IsCurrent(now, options.ClockSkew))
        {
            Remove(token);
            return false;
        }

        if (!ReferenceEquals(entry.Keys, keys) || !ReferenceEquals(entry.Options, options))
        {
            return false; // verified under other keys or options: verify again (and replace it)
        }

        claims = entry.Claims;
        return true;
    }

    /// <summary>Keeps a token that was just verified, unless caching is off.</summary>
    public void Add(string token, Entry entry)
    {
        var max = entry.Options.TokenCacheSize;
        if (max <= 0)
        {
            return;
        }

        if (_entries.TryGetValue(token, out _))
        {
            _entries[token] = entry; // re-verified under newer keys or options
            return;
        }

        if (Interlocked.Increment(ref _count) > max)
        {
            // Full: start over. Rare (only verified tokens get in), and constant cost per request.
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        if (!_entries.TryAdd(token, entry))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Remove(ReadOnlySpan<char> token)
    {
        if (_bySpan.TryRemove(token, out _, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
