using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Relational.Migrations;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// <see cref="IGatehouseStore"/> over plain ADO.NET, one implementation for both engines. Writes
/// run in a <see cref="WriteScope"/> (one transaction, the write lock, its audit events); reads
/// are plain queries. Split by capability into partial files.
/// </summary>
internal sealed partial class RelationalStore(StoreEngine engine, TimeProvider time, IAuditKeyProtection auditKeys) : IGatehouseStore, IAsyncDisposable, IDisposable
{
    internal StoreEngine Engine { get; } = engine;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task MigrateAsync(CancellationToken ct = default) => MigrateAsync(Migrations.Migrations.Latest, ct);

    /// <summary>
    /// Migrates up to <paramref name="targetVersion"/> (tests build old schemas with it), then
    /// unwraps the audit key; on a schema older than the audit key (tests only) the store writes
    /// the unkeyed chain an older Gatehouse wrote.
    /// </summary>
    internal async Task<IReadOnlyList<int>> MigrateAsync(int targetVersion, CancellationToken ct)
    {
        await Engine.VerifyDurabilityAsync(ct);
        var applied = await new MigrationRunner(Engine, time, CreateAuditKeyAsync).MigrateAsync(targetVersion, ct);
        Engine.AuditKey = await IsAppliedAsync(AuditKeySchema.Version, ct)
            ? await AuditKeys.LoadAsync(Engine, auditKeys, ct)
            : AuditKey.LegacyForOldSchema;
        Engine.HasOutbox = await IsAppliedAsync(Migrations.V12Notifications.Migration.Version, ct);
        return applied;
    }

    private Task CreateAuditKeyAsync(Migration migration, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        migration.Version == AuditKeySchema.Version
            ? AuditKeys.CreateAsync(Engine, connection, transaction, auditKeys, Now, ct)
            : Task.CompletedTask;

    private async Task<bool> IsAppliedAsync(int version, CancellationToken ct)
    {
        await using var lease = await Engine.OpenAsync(ct);
        return await Db.ScalarAsync(lease.Connection, null, "SELECT version FROM schema_migrations WHERE version = @version", ct, ("@version", (long)version)) is not null;
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    public void Dispose() => Engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<WriteScope> BeginWriteAsync(string? correlationId, CancellationToken ct) =>
        WriteScope.BeginAsync(Engine, time, correlationId, ct);

    private static bool IsAdminFlag(object? value) => value is not null && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 1;

    /// <summary>The bootstrap token, or a user the current organisation file lists as admin.</summary>
    private static async Task<bool> IsAdminAsync(DbConnection connection, DbTransaction? transaction, Actor actor, CancellationToken ct) =>
        actor.Kind == ActorKind.Bootstrap
        || (actor.Kind == ActorKind.User
            && IsAdminFlag(await Db.ScalarAsync(connection, transaction, "SELECT is_admin FROM users WHERE name = @name", ct, ("@name", actor.Name))));

    private string? _ownerUsersSql;

    /// <summary>
    /// Owner user names per app, teams expanded through the current organisation (one indexed
    /// query). A <c>user:</c> entry counts only while that person is in the organisation file
    /// (ADR 0011): whoever relies on "is an owner" then refuses someone who was removed.
    /// </summary>
    private async Task<Dictionary<string, List<string>>> OwnerUsersAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<string> apps, CancellationToken ct)
    {
        _ownerUsersSql ??= $"""
            SELECT o.app, o.kind, u.name, m.user_name FROM app_owners o
            LEFT JOIN team_members m ON o.kind = 'team' AND m.team = o.name
            LEFT JOIN users u ON o.kind = 'user' AND u.name = o.name
            WHERE {Engine.InTexts("o.app", "@apps")}
            """;
        var owners = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await using (var read = Engine.Read(connection, transaction, _ownerUsersSql, ("@apps", JsonParameters.Texts(apps.Distinct(StringComparer.Ordinal)))))
        await using (var reader = await read.Command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var user = reader.GetString(1) == "user" ? reader.NullableString(2) : reader.NullableString(3);
                if (user is null)
                {
                    continue; // a person or a team the organisation file does not define (or an empty team)
                }

                var app = reader.GetString(0);
                if (!owners.TryGetValue(app, out var users))
                {
                    owners[app] = users = new SortedSet<string>(StringComparer.Ordinal);
                }

                users.Add(user);
            }
        }

        return owners.ToDictionary(o => o.Key, o => o.Value.ToList(), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<string>> OwnerUsersAsync(DbConnection connection, DbTransaction? transaction, string app, CancellationToken ct) =>
        (await OwnerUsersAsync(connection, transaction, [app], ct)).GetValueOrDefault(app) ?? [];

    private static string OwnerList(IReadOnlyList<string> owners) => owners.Count == 0 ? "nobody yet" : string.Join(", ", owners);
}
