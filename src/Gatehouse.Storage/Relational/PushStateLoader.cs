using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Reconciliation;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Loads what a push of some apps depends on in a handful of set-based queries (whatever the
/// number of apps): their stored rows and owners, the scopes they declare and need, the
/// history of every key they requested, and the keys of scopes they remove.
/// </summary>
internal sealed class PushStateLoader(StoreEngine engine)
{
    private string? _appsSql;
    private string? _ownersSql;
    private string? _scopesSql;
    private string? _consumerKeysSql;
    private string? _scopeKeysSql;

    public async Task<PushState> LoadAsync(DbConnection connection, DbTransaction transaction, OrganisationFile organisation, IReadOnlyList<ManifestUpload> uploads, DateTimeOffset now, CancellationToken ct)
    {
        var names = JsonParameters.Texts(uploads.Select(u => u.Manifest.App).Distinct(StringComparer.Ordinal));
        var providers = uploads.SelectMany(u => u.Manifest.Needs.Select(n => n.App)).Concat(uploads.Select(u => u.Manifest.App)).Distinct(StringComparer.Ordinal);
        var scopes = await ScopesAsync(connection, transaction, JsonParameters.Texts(providers), ct);

        await using var keys = Db.Command(connection, transaction,
            _consumerKeysSql ??= KeyHistories.Sql(engine.InTexts("consumer", "@apps")), ("@apps", names));
        var state = new PushState
        {
            Organisation = organisation,
            Now = now,
            Apps = await AppsAsync(connection, transaction, names, ct),
            Scopes = scopes,
            ConsumerKeys = await KeyHistories.ReadAsync(keys, ct),
        };

        var removed = ReconciliationPlanner.RemovedScopes(uploads, scopes);
        if (removed.Count == 0)
        {
            return state;
        }

        await using var removedKeys = Db.Command(connection, transaction,
            _scopeKeysSql ??= KeyHistories.Sql($"EXISTS (SELECT 1 FROM ({engine.ScopeValues("@scopes")}) rs WHERE rs.p = provider AND rs.s = scope)"),
            ("@scopes", JsonParameters.Scopes(removed)));
        return new PushState
        {
            Organisation = state.Organisation,
            Now = now,
            Apps = state.Apps,
            Scopes = state.Scopes,
            ConsumerKeys = state.ConsumerKeys,
            RemovedScopeKeys = await KeyHistories.ReadAsync(removedKeys, ct),
        };
    }

    private async Task<Dictionary<string, StoredApp>> AppsAsync(DbConnection connection, DbTransaction transaction, string names, CancellationToken ct)
    {
        var owners = new Dictionary<string, List<OwnerRef>>(StringComparer.Ordinal);
        await using (var command = Db.Command(connection, transaction,
            _ownersSql ??= $"SELECT app, kind, name FROM app_owners WHERE {engine.InTexts("app", "@apps")} ORDER BY app, position", ("@apps", names)))
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

        var apps = new Dictionary<string, StoredApp>(StringComparer.Ordinal);
        await using (var command = Db.Command(connection, transaction,
            _appsSql ??= $"SELECT name, description, source_text FROM apps WHERE {engine.InTexts("name", "@apps")}", ("@apps", names)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var name = reader.GetString(0);
                apps[name] = new StoredApp(name, reader.NullableString(1), owners.GetValueOrDefault(name) ?? [], reader.GetString(2));
            }
        }

        return apps;
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, StoredScope>>> ScopesAsync(DbConnection connection, DbTransaction transaction, string apps, CancellationToken ct)
    {
        var scopes = new Dictionary<string, Dictionary<string, StoredScope>>(StringComparer.Ordinal);
        await using var command = Db.Command(connection, transaction,
            _scopesSql ??= $"SELECT app, name, description, approval, deprecation, replaced_by, max_grant_days FROM scopes WHERE {engine.InTexts("app", "@apps")}",
            ("@apps", apps));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var scope = new StoredScope(reader.GetString(0), reader.GetString(1), reader.NullableString(2),
                Names.ToApprovalMode(reader.GetString(3)), reader.NullableString(4), reader.NullableString(5))
            {
                MaxGrantDays = reader.NullableInt64(6) is { } days ? (int)days : null,
            };
            if (!scopes.TryGetValue(scope.App, out var byName))
            {
                scopes[scope.App] = byName = new Dictionary<string, StoredScope>(StringComparer.Ordinal);
            }

            byName[scope.Name] = scope;
        }

        return scopes.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, StoredScope>)s.Value, StringComparer.Ordinal);
    }
}
