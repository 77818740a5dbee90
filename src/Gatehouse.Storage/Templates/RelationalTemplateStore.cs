using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Core.Templates;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Templates;

/// <summary><see cref="ITemplateStore"/> on the store's own engine: writes in a <see cref="WriteScope"/> with their audit events.</summary>
internal sealed class RelationalTemplateStore(StoreEngine engine, TimeProvider time) : ITemplateStore
{
    public async Task<int> RecordAppTemplatesAsync(IReadOnlyList<AppTemplateRecord> records, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var current = (await ListAppTemplatesAsync(ct)).ToDictionary(a => a.App, StringComparer.Ordinal);
        var changes = records.Where(r => !Same(current.GetValueOrDefault(r.App), r)).ToList();
        if (changes.Count == 0)
        {
            return 0;
        }

        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        var by = actor.ToString();
        foreach (var record in changes)
        {
            await scope.ExecuteAsync("DELETE FROM app_templates WHERE app = @app", ct, ("@app", record.App));
            if (record is { Source: { } source, Version: { } version })
            {
                await scope.ExecuteAsync(
                    "INSERT INTO app_templates (app, source, source_key, version, recorded_at, recorded_by) VALUES (@app, @source, @key, @version, @at, @by)", ct,
                    ("@app", record.App), ("@source", source), ("@key", TemplateSourceKey.Of(source)), ("@version", version.ToString()), ("@at", scope.Now), ("@by", by));
                scope.Audit.Append(by, "app.template.recorded", $"app:{record.App}", record.App,
                    data: StoreJson.Data(("source", source), ("version", version.ToString()), ("previous", current.GetValueOrDefault(record.App)?.Version.ToString())));
            }
            else
            {
                scope.Audit.Append(by, "app.template.cleared", $"app:{record.App}", record.App,
                    data: StoreJson.Data(("previous", current.GetValueOrDefault(record.App)?.Version.ToString())));
            }
        }

        await scope.CommitAsync(ct);
        return changes.Count;
    }

    public async Task<IReadOnlyList<AppTemplateUse>> ListAppTemplatesAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT app, source, version FROM app_templates ORDER BY app");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var apps = new List<AppTemplateUse>();
        while (await reader.ReadAsync(ct))
        {
            // A stored version was validated on the way in; one that no longer parses is left out, not guessed.
            if (SemVersion.TryParse(reader.GetString(2)) is { } version)
            {
                apps.Add(new AppTemplateUse(reader.GetString(0), reader.GetString(1), version));
            }
        }

        return apps;
    }

    public async Task<StoreResult<TemplatePublication>> PublishAsync(PublishedTemplate template, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (!await IsAdminAsync(scope, actor, ct))
        {
            return StoreResult<TemplatePublication>.Fail(StoreErrorKind.Forbidden, TemplateCodes.PublishForbidden,
                "Only an admin of the organisation (or the bootstrap token) publishes templates: every app's report is measured against them.");
        }

        var key = TemplateSourceKey.Of(template.Source);
        if (await scope.ScalarAsync("SELECT name FROM templates WHERE source_key = @key AND name <> @name", ct, ("@key", key), ("@name", template.Name)) is string other)
        {
            return StoreResult<TemplatePublication>.Fail(StoreErrorKind.Conflict, TemplateCodes.SourcePublishedUnderAnotherName,
                $"The source {template.Source} is already published as the template '{other}'; publish it under that name, or publish a different source.");
        }

        var versions = template.Versions.GroupBy(v => v.Version).Select(g => g.First()).OrderBy(v => v.Version).ToList();
        var existing = (await ReadTemplatesAsync(scope.Connection, scope.Transaction, template.Name, ct)).SingleOrDefault();
        if (existing is not null && existing.Source == template.Source && SameVersions(existing.Versions, versions))
        {
            return StoreResult<TemplatePublication>.Ok(new TemplatePublication(template.Name, "unchanged", versions.Count));
        }

        var by = actor.ToString();
        await scope.ExecuteAsync("DELETE FROM template_versions WHERE template = @name", ct, ("@name", template.Name));
        await scope.ExecuteAsync("DELETE FROM templates WHERE name = @name", ct, ("@name", template.Name));
        await scope.ExecuteAsync("INSERT INTO templates (name, source, source_key, published_at, published_by) VALUES (@name, @source, @key, @at, @by)", ct,
            ("@name", template.Name), ("@source", template.Source), ("@key", key), ("@at", scope.Now), ("@by", by));
        await scope.InsertManyAsync("template_versions", ["template", "version", "migration_note"],
            [.. versions.Select(v => new object?[] { template.Name, v.Version.ToString(), v.MigrationNote })], ct);
        var outcome = existing is null ? "published" : "updated";
        scope.Audit.Append(by, "template.published", $"template:{template.Name}", null,
            data: StoreJson.Data(("source", template.Source), ("versions", versions.Count), ("latest", versions.Count > 0 ? versions[^1].Version.ToString() : null), ("outcome", outcome)));
        await scope.CommitAsync(ct);
        return StoreResult<TemplatePublication>.Ok(new TemplatePublication(template.Name, outcome, versions.Count));
    }

    public async Task<IReadOnlyList<PublishedTemplate>> ListTemplatesAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        return await ReadTemplatesAsync(lease.Connection, null, null, ct);
    }

    private static async Task<List<PublishedTemplate>> ReadTemplatesAsync(DbConnection connection, DbTransaction? transaction, string? name, CancellationToken ct)
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var versions = new Dictionary<string, List<PublishedTemplateVersion>>(StringComparer.Ordinal);
        // No untyped NULL parameter: PostgreSQL cannot infer its type.
        await using (var command = name is null
            ? Db.Command(connection, transaction, "SELECT name, source FROM templates")
            : Db.Command(connection, transaction, "SELECT name, source FROM templates WHERE name = @name", ("@name", name)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                sources[reader.GetString(0)] = reader.GetString(1);
                versions[reader.GetString(0)] = [];
            }
        }

        await using (var command = name is null
            ? Db.Command(connection, transaction, "SELECT template, version, migration_note FROM template_versions")
            : Db.Command(connection, transaction, "SELECT template, version, migration_note FROM template_versions WHERE template = @name", ("@name", name)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (versions.TryGetValue(reader.GetString(0), out var list) && SemVersion.TryParse(reader.GetString(1)) is { } version)
                {
                    list.Add(new PublishedTemplateVersion(version, reader.NullableString(2)));
                }
            }
        }

        return [.. sources.Select(s => new PublishedTemplate(s.Key, s.Value, [.. versions[s.Key].OrderBy(v => v.Version)]))];
    }

    private static async Task<bool> IsAdminAsync(WriteScope scope, Actor actor, CancellationToken ct) =>
        actor.Kind == ActorKind.Bootstrap
        || (actor.Kind == ActorKind.User
            && await scope.ScalarAsync("SELECT is_admin FROM users WHERE name = @name", ct, ("@name", actor.Name)) is { } flag
            && Convert.ToInt64(flag, System.Globalization.CultureInfo.InvariantCulture) == 1);

    private static bool Same(AppTemplateUse? current, AppTemplateRecord next) =>
        current is null
            ? next.Source is null
            : next.Source == current.Source && next.Version == current.Version;

    private static bool SameVersions(IReadOnlyList<PublishedTemplateVersion> a, List<PublishedTemplateVersion> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Version == p.Second.Version && p.First.MigrationNote == p.Second.MigrationNote);
}
