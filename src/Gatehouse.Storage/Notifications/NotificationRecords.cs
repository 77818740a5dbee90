namespace Gatehouse.Storage.Notifications;

/// <summary>An event in the outbox, as the delivery worker formats it.</summary>
/// <param name="Type">The audit action: <c>request.filed</c>, <c>grant.revoked</c>, <c>credential.expiring</c>…</param>
/// <param name="Context">JSON the router added: the access (consumer, provider, scope, environment), the request and its people.</param>
public sealed record NotificationEvent(
    string Id, long Seq, string Type, string Subject, string Actor, string? App, string? ProviderApp,
    string? Comment, string? Data, string? Context, DateTimeOffset OccurredAt);

/// <summary>A delivery this worker holds the lease of. <see cref="Id"/> is the <c>webhook-id</c> receivers deduplicate on.</summary>
public sealed record ClaimedDelivery(string Id, string Target, long Attempts, NotificationEvent Event);

/// <summary>A delivery that ran out of attempts; an admin can redeliver it.</summary>
public sealed record DeadLetter(
    string Id, string Target, string EventId, string EventType, string Subject, long Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? FailedAt);

/// <summary>Counts of deliveries by state, for the admin view.</summary>
public sealed record DeliveryCounts(long Pending, long Delivered, long Dead);
