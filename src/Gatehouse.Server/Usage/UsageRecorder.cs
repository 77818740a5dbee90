using System.Collections.Concurrent;
using Gatehouse.Core.Access;
using Gatehouse.Server.Checks;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Usage;

/// <summary>
/// Notes in memory when each grant and credential was last used (ADR 0024); <see cref="UsageFlusher"/>
/// writes the changes in batches. A call on the hot path is a dictionary lookup and a compare-and-swap
/// of a number: no allocation while a grant or credential stays in use, no lock, no I/O. A cell
/// whose last use was written and that nobody used since is dropped after the flush (ADR 0043),
/// so memory follows what was used in the last interval, not every grant ever used.
/// </summary>
public sealed class UsageRecorder(UsageOptions options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<GrantSlot, Cell> _grants = new();
    private readonly ConcurrentDictionary<IssuedSlot, Cell> _issued = new();
    private readonly ConcurrentDictionary<string, Cell> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cell> _clients = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public bool Enabled => options.Recording;

    /// <summary>The cells held now, grants and credentials together (tests).</summary>
    internal int Cells => _grants.Count + _issued.Count + _tokens.Count + _clients.Count;

    /// <summary>
    /// An access token was issued to <paramref name="clientId"/> of <paramref name="consumer"/>, carrying
    /// <paramref name="scopes"/> (global names, provider:scope) in <paramref name="environment"/>.
    /// </summary>
    public void TokenIssued(string clientId, string consumer, string environment, IReadOnlyList<string> scopes, string scopeText)
    {
        if (!options.Recording)
        {
            return;
        }

        var now = Now();
        for (var i = 0; i < scopes.Count; i++)
        {
            Touch(_issued, new IssuedSlot(consumer, scopes[i], environment), now, static s => s);
        }

        var client = _clients.GetOrAdd(clientId, static _ => new Cell());
        Volatile.Write(ref client.Scopes, scopeText);
        while (!client.MoveTo(now))
        {
            _clients.TryRemove(new KeyValuePair<string, Cell>(clientId, client));
            client = _clients.GetOrAdd(clientId, static _ => new Cell());
            Volatile.Write(ref client.Scopes, scopeText);
        }
    }

    /// <summary>Answers (decisions, checks) were given: each granted one used its grant.</summary>
    public void Allowed(IReadOnlyList<AccessCheck> checks)
    {
        if (!options.Recording)
        {
            return;
        }

        var now = Now();
        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            if (c.State == AccessState.Granted)
            {
                Touch(_grants, new GrantSlot(c.Key.Consumer, c.Key.Provider, c.Key.Scope, c.Key.Environment), now, static s => s.Shared());
            }
        }
    }

    /// <summary>A personal or deploy token authenticated a request.</summary>
    public void TokenAuthenticated(string tokenId)
    {
        if (options.Recording)
        {
            Touch(_tokens, tokenId, Now(), static s => s);
        }
    }

    /// <summary>
    /// Writes every use noted since the last successful flush; on failure keeps them for the next.
    /// One flush at a time. Returns how many rows it wrote.
    /// </summary>
    public async Task<int> FlushAsync(IUsageStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _flushing.WaitAsync(ct);
        try
        {
            var written = new List<(Cell Cell, long At)>();
            var grants = Collect(_grants, written, (k, at, _) => new GrantUse(k.Consumer, k.Provider, k.Scope, k.Environment, at));
            grants.AddRange(Collect(_issued, written, (k, at, _) =>
            {
                var colon = k.ScopeName.IndexOf(':', StringComparison.Ordinal);
                return new GrantUse(k.Consumer, k.ScopeName[..colon], k.ScopeName[(colon + 1)..], k.Environment, at);
            }));
            var tokens = Collect(_tokens, written, (k, at, _) => new CredentialUse(k, at));
            var clients = Collect(_clients, written, (k, at, scopes) => new CredentialUse(k, at, scopes));
            var batch = new UsageBatch(grants, tokens, clients);
            if (batch.IsEmpty)
            {
                return 0;
            }

            await store.WriteAsync(batch, ct);
            foreach (var (cell, at) in written)
            {
                cell.Flushed = at;
            }

            // What nobody used since it was collected is in the store now: drop its cell. At a
            // million grants, a cell for every grant ever used held hundreds of MB (ADR 0043);
            // a grant in use is touched again within the interval and keeps its cell.
            Drop(_grants);
            Drop(_issued);
            Drop(_tokens);
            Drop(_clients);
            return batch.Count;
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Notes a use; a new cell is keyed by <paramref name="stored"/> of the key (shared strings for grants).</summary>
    private static void Touch<TKey>(ConcurrentDictionary<TKey, Cell> cells, TKey key, long now, Func<TKey, TKey> stored)
        where TKey : notnull
    {
        if (!cells.TryGetValue(key, out var cell))
        {
            cell = cells.GetOrAdd(stored(key), static _ => new Cell());
        }

        while (!cell.MoveTo(now))
        {
            // The flusher retired this cell after we found it: take it out if the flusher has not
            // yet, and note the use in a new one, so no use falls into a dropped cell.
            cells.TryRemove(new KeyValuePair<TKey, Cell>(key, cell));
            cell = cells.GetOrAdd(stored(key), static _ => new Cell());
        }
    }

    private static List<T> Collect<TKey, T>(ConcurrentDictionary<TKey, Cell> cells, List<(Cell, long)> written, Func<TKey, DateTimeOffset, string?, T> row)
        where TKey : notnull
    {
        var rows = new List<T>();
        foreach (var (key, cell) in cells)
        {
            var at = Volatile.Read(ref cell.Last);
            if (at > cell.Flushed)
            {
                rows.Add(row(key, DateTimeOffset.FromUnixTimeMilliseconds(at), Volatile.Read(ref cell.Scopes)));
                written.Add((cell, at));
            }
            else if (cell.Retire(at))
            {
                // Written already and not used since (a flush that failed to drop it, or a cell
                // made and not yet touched, whose use then goes to a new one).
                cells.TryRemove(new KeyValuePair<TKey, Cell>(key, cell));
            }
        }

        return rows;
    }

    private static void Drop<TKey>(ConcurrentDictionary<TKey, Cell> cells)
        where TKey : notnull
    {
        foreach (var (key, cell) in cells)
        {
            var at = Volatile.Read(ref cell.Last);
            if (at <= cell.Flushed && cell.Retire(at))
            {
                cells.TryRemove(new KeyValuePair<TKey, Cell>(key, cell));
            }
        }
    }

    /// <summary>The access a grant is for: four strings the caller already holds, so a lookup allocates nothing.</summary>
    private readonly record struct GrantSlot(string Consumer, string Provider, string Scope, string Environment)
    {
        public GrantSlot Shared() => new(SharedNames.Of(Consumer), SharedNames.Of(Provider), SharedNames.Of(Scope), SharedNames.Of(Environment));
    }

    /// <summary>The access a token carried, with the scope's global name as the token endpoint holds it (split only when flushed).</summary>
    private readonly record struct IssuedSlot(string Consumer, string ScopeName, string Environment);

    private sealed class Cell
    {
        /// <summary>The <see cref="Last"/> of a cell the flusher dropped: a use must go to a new cell.</summary>
        private const long Retired = long.MinValue;

        public long Last;

        /// <summary>The time last written to the store (only the flusher, under its lock, touches it).</summary>
        public long Flushed;

        public string? Scopes;

        /// <summary>
        /// Moves <see cref="Last"/> forward to <paramref name="at"/>, never back, whatever the threads
        /// racing; false when the cell was retired, so the caller notes the use elsewhere.
        /// </summary>
        public bool MoveTo(long at)
        {
            long seen;
            while ((seen = Volatile.Read(ref Last)) < at)
            {
                if (seen == Retired)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref Last, at, seen) == seen)
                {
                    return true;
                }
            }

            return true;
        }

        /// <summary>Retires the cell if its last use is still <paramref name="flushed"/>: a racing use wins, and keeps it.</summary>
        public bool Retire(long flushed) => Interlocked.CompareExchange(ref Last, Retired, flushed) == flushed;
    }
}
