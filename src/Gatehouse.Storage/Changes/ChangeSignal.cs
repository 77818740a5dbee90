namespace Gatehouse.Storage.Changes;

/// <summary>
/// Tells a replica, without a database read, whether the store may have changed since it last
/// read the change version (ADR 0033). A counter moves after every commit that can move the
/// version; a request whose counter still matches the one seen at the last read, less than
/// <see cref="MaxAge"/> ago, is answered at the version read then. When the signal is not live
/// (its file could not be mapped, its listening connection is down) every request reads the
/// database, as before: never stale, only slower.
/// </summary>
internal abstract class ChangeSignal : IAsyncDisposable
{
    /// <summary>
    /// How long a version read stays usable without a new read even when no signal arrived: the
    /// bound on staleness when a signal is lost (a writer that died between its commit and its
    /// signal, a notification delayed on a half-dead connection).
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private Known? _known;

    /// <summary>Called after a write transaction committed, with the audit head it left.</summary>
    public abstract void Committed(long version);

    /// <summary>The counter of signals, or false when the signal is not live and the database must be read.</summary>
    protected abstract bool TryReadCounter(out long counter);

    /// <summary>The version to answer at: the one known while nothing signalled a change, else a fresh <paramref name="read"/>.</summary>
    public ValueTask<long> VersionAsync(Func<CancellationToken, Task<long>> read, CancellationToken ct)
    {
        if (!TryReadCounter(out var counter))
        {
            return new(read(ct));
        }

        return Current(counter) is { } known ? new(known.Version) : ReadAsync(read, counter, Environment.TickCount64, ct);
    }

    /// <summary>The version known without a read, if any (for "at least" requests).</summary>
    public long? KnownVersion() => TryReadCounter(out var counter) ? Current(counter)?.Version : null;

    /// <summary>The version read while the counter was still <paramref name="counter"/>, less than <see cref="MaxAge"/> ago.</summary>
    private Known? Current(long counter) =>
        Volatile.Read(ref _known) is { } known && known.Counter == counter && Environment.TickCount64 - known.ReadAt < (long)MaxAge.TotalMilliseconds
            ? known
            : null;

    /// <summary>Forgets the known version, so the next request reads the database.</summary>
    protected void Forget() => Volatile.Write(ref _known, null);

    public abstract ValueTask DisposeAsync();

    private async ValueTask<long> ReadAsync(Func<CancellationToken, Task<long>> read, long counter, long now, CancellationToken ct)
    {
        // The counter was read before the database: a commit signalled after this read moves the
        // counter past the one kept here, so the next request reads again. Racing readers may
        // overwrite each other; any entry kept pairs a counter with a version read after it.
        var version = await read(ct);
        Volatile.Write(ref _known, new Known(counter, version, now));
        return version;
    }

    private sealed record Known(long Counter, long Version, long ReadAt);
}
