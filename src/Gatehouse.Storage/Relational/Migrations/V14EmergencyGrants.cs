namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Environment policies (docs/adr/0031-environment-policies.md): a grant made during a freeze by
/// an admin's emergency approval is flagged for ever. Every existing grant was made outside any
/// freeze, so it reads as not flagged.
/// </summary>
internal static class V14EmergencyGrants
{
    public static readonly Migration Migration = new(14, "emergency-grants", """
        ALTER TABLE grants ADD COLUMN emergency BIGINT NOT NULL DEFAULT 0;
        """);
}
