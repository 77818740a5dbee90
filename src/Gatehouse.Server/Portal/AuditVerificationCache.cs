using Gatehouse.Storage;

namespace Gatehouse.Server.Portal;

/// <summary>
/// Verifying the audit chain reads every event, which grows with the organisation; the audit
/// page shows a result at most <see cref="MaxAge"/> old (with its time) and recomputes on
/// request. Per process: a replica that never verified verifies on its first view.
/// </summary>
internal sealed class AuditVerificationCache(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (AuditVerification Result, DateTimeOffset At)? _last;

    public async Task<(AuditVerification Result, DateTimeOffset At)> GetAsync(IGatehouseStore store, bool fresh, CancellationToken ct)
    {
        if (!fresh && _last is { } cached && time.GetUtcNow() - cached.At < MaxAge)
        {
            return cached;
        }

        // One verification at a time: a burst of page views shares one pass over the chain.
        await _gate.WaitAsync(ct);
        try
        {
            if (!fresh && _last is { } again && time.GetUtcNow() - again.At < MaxAge)
            {
                return again;
            }

            var started = time.GetUtcNow();
            var result = await store.VerifyAuditAsync(ct);
            _last = (result, started);
            return _last.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
