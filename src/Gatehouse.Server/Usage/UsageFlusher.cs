using System.Diagnostics.Metrics;
using Gatehouse.Storage.Usage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Usage;

/// <summary>
/// Writes what <see cref="UsageRecorder"/> noted every <see cref="UsageOptions.FlushInterval"/>, and
/// once more when the server stops, so a graceful restart loses nothing and a crash at most one
/// interval. A failed flush is logged and retried with the next one; it never affects an answer.
/// A flush that found the database busy (SQLite's write lock held by a long push past its busy
/// timeout) is expected under load and logged as one line; any other failure with its exception.
/// </summary>
internal sealed class UsageFlusher(UsageRecorder recorder, IUsageStore store, UsageOptions options, ILogger<UsageFlusher> logger) : BackgroundService
{
    private static readonly Meter Meter = new("Gatehouse.Usage");
    private static readonly Counter<long> Flushes = Meter.CreateCounter<long>("gatehouse.usage.flushes", description: "Flushes of recorded last uses, by outcome");
    private static readonly Counter<long> Rows = Meter.CreateCounter<long>("gatehouse.usage.rows", description: "Last uses written to the store");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recorder.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (recorder.Enabled)
        {
            await FlushAsync(cancellationToken);
        }
    }

    internal async Task FlushAsync(CancellationToken ct)
    {
        try
        {
            var rows = await recorder.FlushAsync(store, ct);
            Flushes.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
            Rows.Add(rows);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var busy = Storage.DatabaseBusy.Is(e);
            Flushes.Add(1, new KeyValuePair<string, object?>("outcome", busy ? "busy" : "failed"));
            if (busy)
            {
                logger.LogWarning("Recording last uses waited too long for the database ({Reason}); they are kept and written with the next flush", e.Message);
            }
            else
            {
                logger.LogWarning(e, "Recording last uses failed; they are kept and written with the next flush");
            }
        }
    }
}
