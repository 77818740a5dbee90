namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// The workflow: organisation, catalogue, requests, votes, grants and the audit chain.
/// Timestamps are unix milliseconds (BIGINT) on both engines; ids are assigned by the writer
/// under the write lock, so they are plain BIGINT keys.
/// </summary>
internal static class V1Workflow
{
    public static readonly Migration Migration = new(1, "workflow", """
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

        CREATE TABLE audit_events (
            seq BIGINT PRIMARY KEY,
            occurred_at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            app TEXT NULL,
            provider_app TEXT NULL,
            comment TEXT NULL,
            correlation_id TEXT NULL,
            data TEXT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX ix_audit_events_app ON audit_events (app, seq);
        CREATE INDEX ix_audit_events_provider_app ON audit_events (provider_app, seq);
        CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at);

        CREATE TABLE organisation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            model TEXT NOT NULL,
            source_text TEXT NOT NULL,
            pushed_at BIGINT NOT NULL,
            pushed_by TEXT NOT NULL
        );
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            is_admin BIGINT NOT NULL
        );
        CREATE TABLE team_members (
            team TEXT NOT NULL,
            user_name TEXT NOT NULL,
            PRIMARY KEY (team, user_name)
        );
        CREATE INDEX ix_team_members_user ON team_members (user_name);

        CREATE TABLE apps (
            name TEXT PRIMARY KEY,
            description TEXT NULL,
            model TEXT NOT NULL,
            source_text TEXT NOT NULL,
            need_count BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            pushed_at BIGINT NOT NULL,
            pushed_by TEXT NOT NULL
        );
        CREATE TABLE app_owners (
            app TEXT NOT NULL REFERENCES apps (name),
            position BIGINT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (app, kind, name)
        );
        CREATE INDEX ix_app_owners_owner ON app_owners (kind, name);
        CREATE TABLE scopes (
            app TEXT NOT NULL REFERENCES apps (name),
            name TEXT NOT NULL,
            description TEXT NULL,
            approval TEXT NOT NULL,
            deprecation TEXT NULL,
            replaced_by TEXT NULL,
            PRIMARY KEY (app, name)
        );

        CREATE TABLE requests (
            id BIGINT PRIMARY KEY,
            consumer TEXT NOT NULL REFERENCES apps (name),
            provider TEXT NOT NULL REFERENCES apps (name),
            scope TEXT NOT NULL,
            environment TEXT NOT NULL,
            reason TEXT NOT NULL,
            state TEXT NOT NULL,
            required_approval TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            requested_at BIGINT NOT NULL,
            decided_at BIGINT NULL,
            decided_by TEXT NULL,
            decision_comment TEXT NULL
        );
        CREATE INDEX ix_requests_key ON requests (consumer, provider, scope, environment, id);
        CREATE INDEX ix_requests_provider ON requests (provider, scope, state);
        CREATE INDEX ix_requests_state ON requests (state, id);

        CREATE TABLE request_votes (
            request_id BIGINT NOT NULL REFERENCES requests (id),
            approver TEXT NOT NULL,
            approve BIGINT NOT NULL,
            comment TEXT NULL,
            voted_at BIGINT NOT NULL,
            PRIMARY KEY (request_id, approver)
        );

        CREATE TABLE grants (
            id BIGINT PRIMARY KEY,
            request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
            consumer TEXT NOT NULL,
            provider TEXT NOT NULL,
            scope TEXT NOT NULL,
            environment TEXT NOT NULL,
            state TEXT NOT NULL,
            granted_by TEXT NOT NULL,
            granted_at BIGINT NOT NULL,
            revoked_by TEXT NULL,
            revoked_at BIGINT NULL,
            revoke_reason TEXT NULL
        );
        CREATE INDEX ix_grants_key ON grants (consumer, provider, scope, environment, id);
        CREATE INDEX ix_grants_provider ON grants (provider, scope, state);
        -- At most one active grant per key: a replacement revokes the old grant first.
        CREATE UNIQUE INDEX ux_grants_active_key ON grants (consumer, provider, scope, environment) WHERE state = 'active';
        """);
}
