using Gatehouse.Core.Access;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private static readonly string[] UserColumns = ["name", "is_admin"];
    private static readonly string[] MemberColumns = ["team", "user_name"];

    public async Task<StoreResult<PushSummary>> PushOrganisationAsync(OrganisationFile organisation, string sourceText, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        var current = await ReadOrganisationAsync(scope, ct);

        // The first organisation file can only come from the bootstrap token: before it, there are no admins.
        var allowed = current is null ? actor.Kind == ActorKind.Bootstrap : OwnerRules.IsAdmin(actor, current.Value.Model);
        if (!allowed)
        {
            return StoreResult<PushSummary>.Fail(StoreErrorKind.Forbidden, StoreErrors.OrganisationForbidden,
                current is null
                    ? "the first organisation file must be pushed with the bootstrap token (GATEHOUSE_BOOTSTRAP_TOKEN)"
                    : $"only an admin ({string.Join(", ", current.Value.Model.Admins)}) or the bootstrap token may push the organisation file");
        }

        var model = StoreJson.Serialize(organisation);
        // The model is derived from the text, so the same text is the same organisation.
        if (current is { } before && before.SourceText == sourceText)
        {
            return StoreResult<PushSummary>.Ok(new PushSummary(false, $"organisation {organisation.Name} is unchanged"));
        }

        await scope.ExecuteAsync("""
            INSERT INTO organisation (id, name, model, source_text, pushed_at, pushed_by) VALUES (1, @name, @model, @source, @at, @by)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, model = excluded.model, source_text = excluded.source_text,
                pushed_at = excluded.pushed_at, pushed_by = excluded.pushed_by
            """, ct, ("@name", organisation.Name), ("@model", model), ("@source", sourceText), ("@at", scope.Now), ("@by", actor.ToString()));

        // Users and teams are derived from the file: replace them wholesale.
        var previousUsers = await ReadUserNamesAsync(scope, ct);
        await scope.ExecuteAsync("DELETE FROM team_members", ct);
        await scope.ExecuteAsync("DELETE FROM users", ct);
        var users = organisation.Teams.SelectMany(t => t.Members).Concat(organisation.Admins).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var admins = organisation.Admins.ToHashSet(StringComparer.Ordinal);
        await scope.InsertManyAsync("users", UserColumns, [.. users.Select(u => new object?[] { u, admins.Contains(u) ? 1L : 0L })], ct);
        var members = organisation.Teams.SelectMany(t => t.Members.Distinct(StringComparer.Ordinal).Select(m => new object?[] { t.Name, m })).ToList();
        await scope.InsertManyAsync("team_members", MemberColumns, members, ct);

        // Someone removed from the file has no power left, at once (ADR 0011): the event says who went.
        var removed = previousUsers.Except(users, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        scope.Audit.Append(actor.ToString(), "org.pushed", $"organisation/{organisation.Name}", null, data: StoreJson.Data(
            ("environments", organisation.Environments.Select(e => e.Name)),
            ("teams", organisation.Teams.Select(t => t.Name)),
            ("admins", organisation.Admins),
            ("removedUsers", removed)));
        var offboarding = current is null ? null : await OffboardAsync(scope, actor, removed, ct); // the first file removes nobody
        await scope.CommitAsync(ct);
        var description = $"organisation {organisation.Name}: {organisation.Environments.Count} environment(s), {organisation.Teams.Count} team(s), {users.Count} user(s)";
        if (offboarding is { } report && (removed.Count > 0 || report.RevokedTokens.Count > 0))
        {
            description += $"; removed {removed.Count} user(s), revoked {report.RevokedTokens.Count} personal token(s)";
        }

        return StoreResult<PushSummary>.Ok(new PushSummary(true, description, offboarding));
    }

    private static async Task<List<string>> ReadUserNamesAsync(WriteScope scope, CancellationToken ct)
    {
        var names = new List<string>();
        await using var command = scope.Command("SELECT name FROM users");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public async Task<OrganisationSnapshot?> GetOrganisationAsync(CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT model, source_text, pushed_at, pushed_by FROM organisation WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new OrganisationSnapshot(StoreJson.ReadOrganisation(reader.GetString(0)), reader.GetString(1), reader.Time(2), reader.GetString(3))
            : null;
    }

    public async Task<UserInfo?> GetUserAsync(string name, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        var isAdmin = await Db.ScalarAsync(lease.Connection, null, "SELECT is_admin FROM users WHERE name = @name", ct, ("@name", name));
        if (isAdmin is null)
        {
            return null;
        }

        var teams = new List<string>();
        await using var command = Db.Command(lease.Connection, null, "SELECT team FROM team_members WHERE user_name = @name ORDER BY team", ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            teams.Add(reader.GetString(0));
        }

        return new UserInfo(name, IsAdminFlag(isAdmin), teams);
    }

    private static async Task<(OrganisationFile Model, string ModelJson, string SourceText)?> ReadOrganisationAsync(WriteScope scope, CancellationToken ct) =>
        await ReadOrganisationAsync(scope.Connection, scope.Transaction, ct);

    private static async Task<(OrganisationFile Model, string ModelJson, string SourceText)?> ReadOrganisationAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, "SELECT model, source_text FROM organisation WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var json = reader.GetString(0);
        return (StoreJson.ReadOrganisation(json), json, reader.GetString(1));
    }
}
