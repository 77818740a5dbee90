using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Gateway;

/// <summary>
/// Keeps the <see cref="GatewaySnapshot"/> forward-auth answers from (ADR 0027). A request never
/// reads the database in the steady state: once per refresh interval one request starts a check of
/// the store's change version in the background (every audited change moves it, in any replica)
/// and carries on with the snapshot it has; a moved version rebuilds the snapshot. A snapshot is
/// rebuilt at least every <see cref="ForwardAuthOptions.MaxAge"/> anyway, and one that could not be
/// checked for <see cref="ForwardAuthOptions.MaxStale"/> is not used at all: forward-auth then
/// answers 503 (closed), never from data of unknown age.
/// </summary>
internal sealed class GatewayState(IGatehouseStore store, IOAuthStore oauth, ForwardAuthOptions options, TimeProvider time, ILogger<GatewayState> logger) : IDisposable
{
    private readonly SemaphoreSlim _build = new(1, 1);
    private volatile GatewaySnapshot? _snapshot;
    private long _checkedAtTicks;
    private int _refreshing;

    /// <summary>The snapshot to answer from, or null when none is fresh enough (fail closed).</summary>
    public ValueTask<GatewaySnapshot?> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null)
        {
            var age = time.GetUtcNow().UtcTicks - Interlocked.Read(ref _checkedAtTicks);
            if (age < options.RefreshInterval.Ticks)
            {
                return ValueTask.FromResult<GatewaySnapshot?>(snapshot);
            }

            if (age < options.MaxStale.Ticks)
            {
                if (Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
                {
                    _ = Task.Run(RefreshInBackgroundAsync, CancellationToken.None);
                }

                return ValueTask.FromResult<GatewaySnapshot?>(snapshot);
            }
        }

        return new ValueTask<GatewaySnapshot?>(RefreshNowAsync(ct));
    }

    /// <summary>Checks the version now and rebuilds if it moved: for tests and for a replica's first request.</summary>
    public async Task<GatewaySnapshot?> RefreshNowAsync(CancellationToken ct)
    {
        try
        {
            await RefreshAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError("Forward-auth could not read the store: {ErrorType}", e.GetType().Name);
        }

        var snapshot = _snapshot;
        var age = time.GetUtcNow().UtcTicks - Interlocked.Read(ref _checkedAtTicks);
        return snapshot is not null && age < options.MaxStale.Ticks ? snapshot : null;
    }

    public void Dispose() => _build.Dispose();

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The snapshot in hand serves until MaxStale; after that requests fail closed.
            logger.LogError("Forward-auth could not refresh its snapshot: {ErrorType}", e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        await _build.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var version = await store.ChangeVersionAsync(ct);
            var current = _snapshot;
            if (current is null || current.Version != version || now - current.BuiltAt >= options.MaxAge || now >= current.FirstGrantEnd)
            {
                _snapshot = await GatewaySnapshot.BuildAsync(store, oauth, version, now, ct);
            }

            Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
        }
        finally
        {
            _build.Release();
        }
    }
}
