using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Reviews;

/// <summary>
/// Closes access reviews whose deadline has passed, applying their policy to what nobody
/// confirmed, and opens the reviews environments ask for (<c>reviews:</c> in the organisation
/// file) when their last one is older than its period; then applies <c>revokeUnusedAfterDays</c>. Every replica runs it; the store's write
/// lock makes each close and each policy review happen once.
/// </summary>
internal sealed class ReviewDeadlineService(IGatehouseStore store, Storage.Usage.IUsageStore usage, Usage.UsageRecorder recorder, TimeProvider time, ILogger<ReviewDeadlineService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(store, time, stoppingToken);
                    await UnusedGrantPolicy.RunOnceAsync(store, usage, recorder, time, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError("Access reviews could not be closed or opened: {ErrorType}", e.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    /// <summary>One pass: close what is due, then open what policy asks for.</summary>
    public static async Task RunOnceAsync(IGatehouseStore store, TimeProvider time, CancellationToken ct)
    {
        await store.CloseDueReviewsAsync(ct);
        var scheduled = (await store.GetOrganisationAsync(ct))?.Organisation.Environments.Where(e => e.Reviews is not null).ToList();
        if (scheduled is not { Count: > 0 })
        {
            return; // no environment asks for reviews: the reviews are not read
        }

        var now = time.GetUtcNow();
        var reviews = await store.ListReviewsAsync(openOnly: false, ct);
        foreach (var environment in scheduled)
        {
            var policy = environment.Reviews!;
            var last = reviews.Where(r => r.Environment == environment.Name).MaxBy(r => r.OpenedAt);
            if (last is null || (!last.IsOpen && now - last.OpenedAt >= TimeSpan.FromDays(policy.EveryDays)))
            {
                await store.OpenReviewAsync(environment.Name, now.AddDays(policy.DeadlineDays), policy.Unconfirmed, Actor.Policy, "review-policy", ct);
            }
        }
    }
}
