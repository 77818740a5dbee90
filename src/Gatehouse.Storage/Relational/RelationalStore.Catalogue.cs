using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    public async Task<IReadOnlyList<AppSummary>> ListAppsAsync(CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        var owners = new Dictionary<string, List<OwnerRef>>(StringComparer.Ordinal);
        await using (var command = Db.Command(lease.Connection, null, "SELECT app, kind, name FROM app_owners ORDER BY app, position"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var app = reader.GetString(0);
                if (!owners.TryGetValue(app, out var list))
                {
                    owners[app] = list = [];
                }

                list.Add(new OwnerRef(Names.ToOwnerKind(reader.GetString(1)), reader.GetString(2)));
            }
        }

        var apps = new List<AppSummary>();
        await using (var command = Db.Command(lease.Connection, null, """
            SELECT a.name, a.description, a.need_count, (SELECT COUNT(*) FROM scopes s WHERE s.app = a.name)
            FROM apps a ORDER BY a.name
            """))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var name = reader.GetString(0);
                apps.Add(new AppSummary(name, reader.NullableString(1), owners.GetValueOrDefault(name) ?? [], (int)reader.GetInt64(3), (int)reader.GetInt64(2)));
            }
        }

        return apps;
    }

    public async Task<AppDetails?> GetAppAsync(string app, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        AppDetails? details = null;
        await using (var command = Db.Command(lease.Connection, null, "SELECT model, source_text, pushed_at, pushed_by FROM apps WHERE name = @name", ("@name", app)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                details = new AppDetails(StoreJson.ReadManifest(reader.GetString(0)), reader.GetString(1), reader.Time(2), reader.GetString(3), []);
            }
        }

        return details is null ? null : details with { OwnerUsers = await OwnerUsersAsync(lease.Connection, null, app, ct) };
    }
}
