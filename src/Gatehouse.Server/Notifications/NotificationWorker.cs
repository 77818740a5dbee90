using Gatehouse.Core.Notifications;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Gatehouse.Storage.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Notifications;

/// <summary>
/// Delivers the outbox (ADR 0019): routes new events to the targets of the organisation file,
/// leases due deliveries, sends them, and records each outcome; a failure is retried with
/// exponential backoff and jitter until <see cref="NotificationOptions.MaxAttempts"/>, then it is
/// a dead letter. A replica that dies mid-delivery loses only its lease: the delivery is taken
/// up again when the lease ends, under the same webhook-id.
/// </summary>
internal sealed partial class NotificationWorker(
    IGatehouseStore store,
    INotificationStore outbox,
    NotificationChannels channels,
    NotificationOptions options,
    NotificationMetrics metrics,
    PublicUrl publicUrl,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    private const int Batch = 100;

    // Slack takes at most 50 blocks in a message: a digest of more events is sent as several messages.
    private const int DigestMax = 50;

    // After a round that sent something, wait this long (at most the poll interval) so that under a
    // stream of approvals one round carries many deliveries: fewer write transactions beside them.
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(200);
    private readonly string _owner = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private DateTimeOffset _nextExpiryCheck = DateTimeOffset.MinValue;

    // The organisation file as of a change version, with its targets sent together. A round runs
    // every poll interval (a second by default), beside the hot paths: reading and parsing a large
    // organisation each time cost about 1.4% of a busy server's CPU. Every push of the file moves
    // the version, so a round re-reads it exactly when it may have changed.
    private OrganisationAt? _organisation;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before the first round: a public URL derived from the listen
        // address is known only once the server listens, and links in messages are made from it.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Notifications never take the server down: a database blip or a bug is logged and retried.
                LogRoundFailed(logger, e.GetType().Name, e.Message);
            }

            try
            {
                await Task.Delay(worked && BatchDelay < options.PollInterval ? BatchDelay : options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: returns true when it delivered or failed something (so the next round comes at once).</summary>
    internal async Task<bool> RoundAsync(CancellationToken ct)
    {
        var (_, organisation, sentTogether) = await OrganisationAsync(ct);
        var now = time.GetUtcNow();
        if (now >= _nextExpiryCheck)
        {
            await outbox.RecordExpiringCredentialsAsync(TimeSpan.FromDays(options.ExpiryWarningDays), ct);
            _nextExpiryCheck = now + options.ExpiryCheckInterval;
        }

        await outbox.RouteAsync(organisation, DailyAt, ct);
        var claimed = await outbox.ClaimAsync(_owner, Batch, options.Lease, sentTogether, ct);
        if (claimed.Count == 0)
        {
            return false;
        }

        // Targets in parallel, each target's deliveries in order; what went out is recorded in one transaction.
        var delivered = new System.Collections.Concurrent.ConcurrentQueue<(string Id, string Kind)>();
        await Task.WhenAll(claimed.GroupBy(d => d.Target).Select(group => DeliverAsync(organisation, group.Key, [.. group], delivered, ct)));
        await outbox.CompleteAsync([.. delivered.Select(d => d.Id)], _owner, ct);
        foreach (var (_, kind) in delivered)
        {
            metrics.Delivered(kind);
        }

        return true;
    }

    private async Task DeliverAsync(Core.Organisations.OrganisationFile? organisation, string targetId, IReadOnlyList<ClaimedDelivery> deliveries,
        System.Collections.Concurrent.ConcurrentQueue<(string Id, string Kind)> delivered, CancellationToken ct)
    {
        var target = organisation is null ? null : NotificationRouting.Find(organisation, targetId);
        if (target is null)
        {
            foreach (var d in deliveries)
            {
                await RecordAsync(d, "webhook", "the target is no longer in the organisation file", final: true, ct);
            }

            return;
        }

        var kind = target.Kind.ToString().ToLowerInvariant();
        var url = publicUrl.Value;

        // A daily digest to people is one message (of at most DigestMax events); a machine (webhook) still gets one request per event.
        var groups = SendsTogether(target)
            ? [.. deliveries.Chunk(DigestMax)]
            : deliveries.Select(d => (IReadOnlyList<ClaimedDelivery>)[d]).ToList();
        foreach (var group in groups)
        {
            var messages = group.Select(d => NotificationMessage.For(d.Event, url)).ToList();
            try
            {
                await channels.SendAsync(target, group[0].Id, messages, url, ct);
            }
            catch (DeliveryException e)
            {
                // One retry time for the whole message, so the digest is retried as one message.
                var retryAt = time.GetUtcNow() + Backoff(group.Max(d => d.Attempts));
                foreach (var d in group)
                {
                    await RecordAsync(d, kind, e.Message, final: false, ct, retryAt);
                }

                continue;
            }

            foreach (var d in group)
            {
                delivered.Enqueue((d.Id, kind));
            }
        }
    }

    private async Task RecordAsync(ClaimedDelivery delivery, string kind, string error, bool final, CancellationToken ct, DateTimeOffset? retryAt = null)
    {
        var dead = final || delivery.Attempts >= options.MaxAttempts;
        retryAt = dead ? null : retryAt ?? time.GetUtcNow() + Backoff(delivery.Attempts);
        await outbox.FailAsync(delivery.Id, _owner, error, retryAt, ct);
        if (dead)
        {
            metrics.Dead(kind);
            LogDead(logger, delivery.Id, delivery.Target, delivery.Attempts, error);
        }
        else
        {
            metrics.Failed(kind);
            LogRetry(logger, delivery.Id, delivery.Target, delivery.Attempts, error, retryAt!.Value);
        }
    }

    /// <summary>Base × 2^(attempt−1), capped, then a random point in its upper half (so retries from many events spread out).</summary>
    internal TimeSpan Backoff(long attempts)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>The organisation file now, read again only when the change version has moved since the last round.</summary>
    private async Task<OrganisationAt> OrganisationAsync(CancellationToken ct)
    {
        // Full: the version in the database, one primary-key read, so a file pushed through another
        // replica is seen at the next round, as when every round read the file. The version is read
        // first: a push that lands between the two reads is read again at the next round.
        var version = await store.ChangeVersionAsync(ChangeConsistency.Full, ct);
        if (_organisation is { } known && known.Version == version)
        {
            return known;
        }

        var organisation = (await store.GetOrganisationAsync(ct))?.Organisation;
        return _organisation = new OrganisationAt(version, organisation, SentTogether(organisation));
    }

    private sealed record OrganisationAt(long Version, Core.Organisations.OrganisationFile? Organisation, IReadOnlyList<string> SentTogether);

    /// <summary>A daily digest to people: its due deliveries go out together, as one message.</summary>
    private static bool SendsTogether(NotificationTarget target) => target.Digest == NotificationDigest.Daily && target.Kind != NotificationKind.Webhook;

    private static List<string> SentTogether(Core.Organisations.OrganisationFile? organisation) => organisation is null ? [] :
    [
        .. organisation.Teams.SelectMany(t => t.Notify.Where(SendsTogether).Select(n => NotificationTarget.Id($"team:{t.Name}", n.Name))),
        .. organisation.Environments.SelectMany(e => e.Notify.Where(SendsTogether).Select(n => NotificationTarget.Id($"environment:{e.Name}", n.Name))),
    ];

    private DateTimeOffset DailyAt(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(options.DigestHour);
        return today > now ? today : today.AddDays(1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {Id} to {Target} failed (attempt {Attempts}): {Error}; retrying at {RetryAt:o}")]
    private static partial void LogRetry(ILogger logger, string id, string target, long attempts, string error, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification delivery {Id} to {Target} is a dead letter after {Attempts} attempt(s): {Error}")]
    private static partial void LogDead(ILogger logger, string id, string target, long attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification round failed ({Kind}): {Message}; trying again")]
    private static partial void LogRoundFailed(ILogger logger, string kind, string message);
}
