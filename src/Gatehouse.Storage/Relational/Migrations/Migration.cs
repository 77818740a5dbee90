namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// One schema step. The SQL is portable (TEXT, BIGINT, partial indexes: the same on SQLite and
/// PostgreSQL). A released migration is never edited: a change is a new version.
/// </summary>
internal sealed record Migration(int Version, string Name, string Sql);

internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } = [V1Workflow.Migration, V2ApiAccess.Migration, OAuth.OAuthSchema.Migration, V4RequestPeople.Migration, Audit.AuditKeySchema.Migration, Keys.KeySchema.Migration, V7CredentialRotationAndLastUse.Migration, V10GrantLifetime.Migration, V11TemplateRecords.Migration, V12Notifications.Migration, V13GrantLastUse.Migration, V14EmergencyGrants.Migration, V15AccessReviews.Migration];

    public static int Latest => All[^1].Version;
}
