using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    /// <summary>
    /// Runs in the organisation push's transaction, after the users were replaced (ADR 0011):
    /// revokes every live personal token whose user is no longer in the file (one audited
    /// <c>token.revoked</c> each), and lists the live deploy tokens and OAuth clients created by
    /// someone no longer in the file, which belong to an app and are left for an admin to revoke.
    /// Tokens of people removed before this rule existed are caught by the same queries. Null
    /// when there is nothing to report.
    /// </summary>
    private static async Task<OffboardingReport?> OffboardAsync(WriteScope scope, Actor actor, List<string> removedUsers, CancellationToken ct)
    {
        const string live = "revoked_at IS NULL AND expires_at > @now";
        List<TokenInfo> personal;
        await using (var command = scope.Command(
            $"SELECT {TokenColumns} FROM tokens t WHERE kind = 'personal' AND {live} AND NOT EXISTS (SELECT 1 FROM users u WHERE u.name = t.subject) ORDER BY created_at, id",
            ("@now", scope.Now)))
        {
            personal = await ReadTokensAsync(command, ct);
        }

        var revoked = new List<TokenInfo>(personal.Count);
        foreach (var token in personal)
        {
            await scope.ExecuteAsync("UPDATE tokens SET revoked_at = @at, revoked_by = @by WHERE id = @id", ct,
                ("@at", scope.Now), ("@by", actor.ToString()), ("@id", token.Id));
            scope.Audit.Append(actor.ToString(), "token.revoked", $"token/{token.Id}", null,
                comment: $"{token.Subject.Name} is no longer in the organisation file",
                data: StoreJson.Data(("kind", Names.Of(token.Subject.Kind)), ("subject", token.Subject.Name), ("reason", "offboarded")));
            revoked.Add(token with { RevokedAt = DateTimeOffset.FromUnixTimeMilliseconds(scope.Now) });
        }

        List<TokenInfo> deploy;
        await using (var command = scope.Command(
            $"SELECT {ListedTokenColumns} FROM tokens WHERE kind = 'deploy' AND {live} AND {CreatorRemovedSql} ORDER BY subject, created_at, id",
            ("@now", scope.Now)))
        {
            deploy = await ReadTokensAsync(command, ct);
        }

        var clients = new List<ClientInfo>();
        await using (var command = scope.Command(
            $"SELECT id, app, environment, description, created_at, created_by FROM oauth_clients WHERE revoked_at IS NULL AND {CreatorRemovedSql} ORDER BY app, environment, created_at, id"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                clients.Add(new ClientInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3), reader.Time(4), reader.GetString(5)));
            }
        }

        return removedUsers.Count + revoked.Count + deploy.Count + clients.Count == 0 ? null : new OffboardingReport(removedUsers, revoked, deploy, clients);
    }
}
