using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Notifications;

/// <summary>
/// The notification outbox of a Gatehouse store (ADR 0019). Events are written by the store's
/// own transactions; this routes them to targets, hands out due deliveries under a lease (so
/// with several replicas each delivery is attempted by one at a time), and records outcomes.
/// </summary>
public interface INotificationStore
{
    /// <summary>Routes every unrouted event, oldest first, to the targets <paramref name="organisation"/> declares. Returns how many events were routed.</summary>
    /// <param name="dailyAt">When deliveries to a daily-digest target become due.</param>
    Task<int> RouteAsync(OrganisationFile? organisation, Func<DateTimeOffset, DateTimeOffset> dailyAt, CancellationToken ct = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> due deliveries to <paramref name="owner"/> for <paramref name="lease"/>.
    /// A delivery is due when no earlier event for the same subject and target is still pending (order per subject),
    /// or, for the targets in <paramref name="together"/> (whose due deliveries the caller sends in one message, in
    /// order: daily digests), when every earlier pending one for that subject is due now as well and so claimed with it.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int max, TimeSpan lease, IReadOnlyCollection<string>? together = null, CancellationToken ct = default);

    /// <summary>Marks a leased delivery delivered. False when the lease was lost (another replica may deliver it again: at least once).</summary>
    Task<bool> CompleteAsync(string deliveryId, string owner, CancellationToken ct = default);

    /// <summary>Marks leased deliveries delivered in one transaction; returns how many were still held.</summary>
    Task<int> CompleteAsync(IReadOnlyList<string> deliveryIds, string owner, CancellationToken ct = default);

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or a dead letter when it is null.</summary>
    Task<bool> FailAsync(string deliveryId, string owner, string error, DateTimeOffset? retryAt, CancellationToken ct = default);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit, CancellationToken ct = default);

    /// <summary>Puts a dead letter back in the queue, due now, with its attempts reset. False when no dead letter has that id.</summary>
    Task<bool> RedeliverAsync(string deliveryId, CancellationToken ct = default);

    Task<DeliveryCounts> CountAsync(CancellationToken ct = default);

    /// <summary>Writes a <c>credential.expiring</c> event, once per token and expiry, for each live token ending within <paramref name="within"/>.</summary>
    Task<int> RecordExpiringCredentialsAsync(TimeSpan within, CancellationToken ct = default);
}
