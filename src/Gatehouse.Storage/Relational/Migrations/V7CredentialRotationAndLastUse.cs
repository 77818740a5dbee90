namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Migration 7 (ADR 0018): a client secret rotated with overlap keeps the previous secret's hash
/// until a stated time; tokens and clients remember when they were last used (and a client the
/// scopes it was last issued). Columns only, all nullable: existing rows keep their meaning.
/// </summary>
internal static class V7CredentialRotationAndLastUse
{
    public static readonly Migration Migration = new(7, "credential rotation and last use", """
        ALTER TABLE oauth_clients ADD COLUMN previous_secret_hash TEXT;
        ALTER TABLE oauth_clients ADD COLUMN previous_secret_expires_at BIGINT;
        ALTER TABLE oauth_clients ADD COLUMN last_used_at BIGINT;
        ALTER TABLE oauth_clients ADD COLUMN last_scopes TEXT;
        ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
        """);
}
