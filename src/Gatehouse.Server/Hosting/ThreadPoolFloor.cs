namespace Gatehouse.Server.Hosting;

/// <summary>
/// The least number of worker threads the server's thread pool keeps ready (ADR 0045). SQLite
/// answers on the thread that asks, so a long store call holds a pool thread: a usage flush of
/// tens of thousands of scattered rows, or a run of cache misses at a million grants, for up to
/// half a second. The pool starts at one thread per core, and adds one only after about 500 ms
/// without progress, so on one core every request queued behind such a call waited that long
/// (at a million grants, checks at p99 469-569 ms, decisions 0.7-1.14 s). With this floor they run beside it.
/// </summary>
internal static class ThreadPoolFloor
{
    /// <summary>Worker threads at least: room for a flush, a push and a slow read beside the requests.</summary>
    public const int Workers = 4;

    /// <summary>Raises the pool's minimum to <see cref="Workers"/>; never lowers it (a machine with more cores, or <c>DOTNET_ThreadPool_ForceMinWorkerThreads</c>, keeps its own).</summary>
    public static void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < Workers)
        {
            ThreadPool.SetMinThreads(Workers, io);
        }
    }
}
