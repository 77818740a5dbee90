namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Grants that end (docs/adr/0023-grant-lifetime-and-expiry.md): a grant records when it ends,
/// a scope its <c>maxGrantDays</c>. Existing grants get no end and existing scopes no limit, so
/// nothing that was honoured before stops being honoured by the upgrade. A grant is not marked
/// expired by a job: it is expired at any time past its end; the index serves "ending soon".
/// </summary>
internal static class V10GrantLifetime
{
    public static readonly Migration Migration = new(10, "grant-lifetime", """
        ALTER TABLE grants ADD COLUMN expires_at BIGINT NULL;
        ALTER TABLE scopes ADD COLUMN max_grant_days BIGINT NULL;
        CREATE INDEX ix_grants_expires_at ON grants (expires_at) WHERE state = 'active' AND expires_at IS NOT NULL;
        """);
}
