namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// Templates seen from the platform (docs/adr/0029-template-records.md): the templates published
/// to the server with their versions and migration notes, and per app the template source and
/// version its last push named. New tables only: existing data is untouched, and an app has no
/// record until its next push sends one. <c>source_key</c> is the source as it is matched
/// (<c>TemplateSourceKey</c>), so one published template is found for every spelling of its URL.
/// </summary>
internal static class V11TemplateRecords
{
    public static readonly Migration Migration = new(11, "template-records", """
        CREATE TABLE templates (
            name TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            published_at BIGINT NOT NULL,
            published_by TEXT NOT NULL
        );
        CREATE UNIQUE INDEX ux_templates_source_key ON templates (source_key);
        CREATE TABLE template_versions (
            template TEXT NOT NULL REFERENCES templates (name),
            version TEXT NOT NULL,
            migration_note TEXT NULL,
            PRIMARY KEY (template, version)
        );
        CREATE TABLE app_templates (
            app TEXT PRIMARY KEY REFERENCES apps (name),
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            version TEXT NOT NULL,
            recorded_at BIGINT NOT NULL,
            recorded_by TEXT NOT NULL
        );
        CREATE INDEX ix_app_templates_source_key ON app_templates (source_key);
        """);
}
