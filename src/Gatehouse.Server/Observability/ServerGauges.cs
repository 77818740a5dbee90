using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gatehouse.Core.Access;
using Gatehouse.Server.Checks;
using Gatehouse.Server.OAuth;
using Gatehouse.Storage;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Observability;

/// <summary>
/// The observable instruments of one server, on a <c>Gatehouse</c> meter its host owns (disposed
/// with it): the caches' size accounting, the decision cache's hits and misses, and the requests
/// waiting for approval per environment. Nothing here runs per request: the values are read when
/// a collection (a scrape of <c>/metrics</c>, an OTLP export) asks for them.
/// </summary>
internal sealed class ServerGauges
{
    /// <summary>How long a count of pending requests is served before it is read again (wall time: a test's fake clock does not stop it).</summary>
    public static readonly TimeSpan PendingFreshFor = TimeSpan.FromSeconds(5);

    /// <summary>The store lists at most this many pending requests; the gauge says no more than that.</summary>
    public const int PendingLimit = 5000;

    private readonly IGatehouseStore _store;
    private readonly ILogger<ServerGauges> _logger;
    private readonly HashSet<string> _environmentsSeen = new(StringComparer.Ordinal);
    private volatile Measurement<long>[] _pending = [];
    private long _pendingReadAt = long.MinValue;
    private int _refreshing;

    public ServerGauges(IMeterFactory meters, DecisionCache decisions, AccessCache access, IGatehouseStore store, ILogger<ServerGauges> logger)
    {
        _store = store;
        _logger = logger;
        var meter = meters.Create(GatehouseMetrics.MeterName, Health.HealthEndpoints.Version);
        IEnumerable<(string Name, long Bytes, long MaxBytes)> Tables() => decisions.Tables.Concat(access.Tables);
        meter.CreateObservableGauge("gatehouse.cache", () => Tables().Select(t => new Measurement<long>(t.Bytes, new KeyValuePair<string, object?>("cache", t.Name))),
            "By", "Estimated bytes held by an in-memory cache (emptied when it reaches gatehouse_cache_max_bytes).");
        meter.CreateObservableGauge("gatehouse.cache.max", () => Tables().Select(t => new Measurement<long>(t.MaxBytes, new KeyValuePair<string, object?>("cache", t.Name))),
            "By", "Byte budget of an in-memory cache.");
        meter.CreateObservableCounter("gatehouse.decision_cache.hits", () => decisions.Hits,
            "{lookup}", "Token lookups and checked accesses answered from memory at the current change version.");
        meter.CreateObservableCounter("gatehouse.decision_cache.misses", () => decisions.Misses,
            "{lookup}", "Token lookups and checked accesses read from the store.");
        meter.CreateObservableGauge("gatehouse.requests.pending", PendingMeasurements,
            "{request}", "Access requests waiting for approval, per environment.");
    }

    /// <summary>Reads the pending requests again when the last count is older than <see cref="PendingFreshFor"/>.</summary>
    public async Task RefreshPendingAsync(CancellationToken ct)
    {
        if (!IsStale() || Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var pending = await _store.ListRequestsAsync(new RequestQuery(State: RequestState.Pending, Limit: PendingLimit), ct);
            var counts = pending.GroupBy(r => r.Key.Environment, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            lock (_environmentsSeen)
            {
                _environmentsSeen.UnionWith(counts.Keys);

                // An environment whose last request was decided reads 0, not its last count.
                _pending = [.. _environmentsSeen.Order(StringComparer.Ordinal).Select(e =>
                    new Measurement<long>(counts.GetValueOrDefault(e), new KeyValuePair<string, object?>("environment", e)))];
            }

            Interlocked.Exchange(ref _pendingReadAt, Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Could not count the pending requests for /metrics");
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private bool IsStale()
    {
        var readAt = Interlocked.Read(ref _pendingReadAt);
        return readAt == long.MinValue || Stopwatch.GetElapsedTime(readAt) >= PendingFreshFor;
    }

    private Measurement<long>[] PendingMeasurements()
    {
        // An OTLP export has no request to await a read: it starts one for the next collection.
        if (IsStale())
        {
            _ = Task.Run(() => RefreshPendingAsync(CancellationToken.None));
        }

        return _pending;
    }
}
