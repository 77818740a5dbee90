namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// The notification outbox (docs/adr/0019-notification-outbox.md). An event row is written by the
/// transaction that makes the change it reports; a worker later routes it to the targets of the
/// organisation file (one delivery row per target, with the id receivers deduplicate on) and
/// delivers it. A delivery is held by one replica at a time through its lease.
/// </summary>
internal static class V12Notifications
{
    public static readonly Migration Migration = new(12, "notifications", """
        CREATE TABLE notification_events (
            id TEXT PRIMARY KEY,
            seq BIGINT NOT NULL,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            actor TEXT NOT NULL,
            app TEXT NULL,
            provider_app TEXT NULL,
            comment TEXT NULL,
            data TEXT NULL,
            occurred_at BIGINT NOT NULL,
            context TEXT NULL,
            dedup_key TEXT NULL UNIQUE,
            routed_at BIGINT NULL
        );
        CREATE INDEX ix_notification_events_unrouted ON notification_events (seq) WHERE routed_at IS NULL;

        CREATE TABLE notification_deliveries (
            id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES notification_events (id),
            seq BIGINT NOT NULL,
            target TEXT NOT NULL,
            subject TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts BIGINT NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            lease_owner TEXT NULL,
            lease_until BIGINT NULL,
            last_error TEXT NULL,
            created_at BIGINT NOT NULL,
            finished_at BIGINT NULL,
            UNIQUE (event_id, target)
        );
        CREATE INDEX ix_notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX ix_notification_deliveries_order ON notification_deliveries (target, subject, seq) WHERE state = 'pending';
        CREATE INDEX ix_notification_deliveries_dead ON notification_deliveries (finished_at) WHERE state = 'dead';
        """);
}
