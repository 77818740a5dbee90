namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// API access: personal and deploy tokens (only the SHA-256 of a secret is stored) and the
/// responses kept for Idempotency-Key retries.
/// </summary>
internal static class V2ApiAccess
{
    public static readonly Migration Migration = new(2, "api-access", """
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            description TEXT NULL,
            created_at BIGINT NOT NULL,
            created_by TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            revoked_at BIGINT NULL,
            revoked_by TEXT NULL
        );
        CREATE INDEX ix_tokens_subject ON tokens (kind, subject);

        CREATE TABLE idempotency_keys (
            actor TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status_code BIGINT NOT NULL,
            content_type TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (actor, idempotency_key)
        );
        CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);
        """);
}
