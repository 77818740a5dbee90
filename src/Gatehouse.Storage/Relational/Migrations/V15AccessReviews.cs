namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Access reviews (docs/adr/0032-access-reviews.md): a review and, per grant active when it
/// opened, the provider owners' answer. New tables only; nothing existing changes.
/// </summary>
internal static class V15AccessReviews
{
    public static readonly Migration Migration = new(15, "access-reviews", """
        CREATE TABLE reviews (
            id BIGINT PRIMARY KEY,
            environment TEXT NULL,
            opened_by TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            deadline BIGINT NOT NULL,
            unconfirmed TEXT NOT NULL,
            closed_at BIGINT NULL
        );
        CREATE TABLE review_items (
            review_id BIGINT NOT NULL REFERENCES reviews (id),
            grant_id BIGINT NOT NULL REFERENCES grants (id),
            decision TEXT NULL,
            decided_by TEXT NULL,
            decided_at BIGINT NULL,
            comment TEXT NULL,
            outcome TEXT NULL,
            PRIMARY KEY (review_id, grant_id)
        );
        CREATE INDEX ix_reviews_open ON reviews (deadline) WHERE closed_at IS NULL;
        """);
}
