namespace Gatehouse.Storage.OAuth;

/// <summary>
/// The OAuth tables, migration 3 of the store. The same DDL runs on SQLite and PostgreSQL: text
/// keys, BIGINT unix milliseconds, base64 text for the encrypted keys.
/// </summary>
internal static class OAuthSchema
{
    public static readonly Relational.Migrations.Migration Migration = new(3, "oauth", """
        CREATE TABLE oauth_clients (
            id TEXT PRIMARY KEY,
            app TEXT NOT NULL,
            environment TEXT NOT NULL,
            description TEXT,
            auth_method TEXT NOT NULL,
            secret_hash TEXT,
            created_at BIGINT NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at BIGINT,
            revoked_by TEXT
        );
        CREATE INDEX ix_oauth_clients_app ON oauth_clients (app, environment);
        CREATE TABLE oauth_client_keys (
            client_id TEXT NOT NULL REFERENCES oauth_clients (id),
            kid TEXT NOT NULL,
            jwk TEXT NOT NULL,
            added_at BIGINT NOT NULL,
            added_by TEXT NOT NULL,
            PRIMARY KEY (client_id, kid)
        );
        CREATE TABLE oauth_used_assertions (
            client_id TEXT NOT NULL,
            jti TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (client_id, jti)
        );
        CREATE INDEX ix_oauth_used_assertions_expires_at ON oauth_used_assertions (expires_at);
        CREATE TABLE oauth_signing_keys (
            kid TEXT PRIMARY KEY,
            algorithm TEXT NOT NULL,
            slot BIGINT NOT NULL,
            public_jwk TEXT NOT NULL,
            protected_private_key TEXT NOT NULL,
            kek_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            activates_at BIGINT NOT NULL,
            UNIQUE (algorithm, slot)
        );
        """);
}
