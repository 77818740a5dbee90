using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    public async Task<CredentialVisibility> CredentialVisibilityAsync(Actor actor, CancellationToken ct = default)
    {
        switch (actor.Kind)
        {
            case ActorKind.Bootstrap:
                return CredentialVisibility.Everything;
            case ActorKind.App:
                return CredentialVisibility.OfApp(actor.Name);
            case ActorKind.User:
                break;
            default:
                return CredentialVisibility.Nothing;
        }

        await using var lease = await Engine.OpenAsync(ct);
        var isAdmin = await Db.ScalarAsync(lease.Connection, null, "SELECT is_admin FROM users WHERE name = @name", ct, ("@name", actor.Name));
        if (isAdmin is null)
        {
            return CredentialVisibility.Nothing; // no longer in the organisation file: fail closed
        }

        if (IsAdminFlag(isAdmin))
        {
            return CredentialVisibility.Everything;
        }

        // The apps she owns now, directly or through a team (she is a current user, so a user: entry counts).
        var apps = new List<string>();
        await using var command = Db.Command(lease.Connection, null, """
            SELECT DISTINCT o.app FROM app_owners o
            WHERE (o.kind = 'user' AND o.name = @name)
               OR (o.kind = 'team' AND o.name IN (SELECT m.team FROM team_members m WHERE m.user_name = @name))
            """, ("@name", actor.Name));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            apps.Add(reader.GetString(0));
        }

        return CredentialVisibility.OfUser(actor.Name, apps);
    }
}
