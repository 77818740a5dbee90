namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Migration 13 (ADR 0024): a grant remembers when it was last used (a token issued with its scope,
/// a decision or a check that allowed it). Nullable: an existing grant reads as never used, and
/// counts as unused from its approval, as a grant approved today does.
/// </summary>
internal static class V13GrantLastUse
{
    public static readonly Migration Migration = new(13, "grant last use", """
        ALTER TABLE grants ADD COLUMN last_used_at BIGINT NULL;
        """);
}
