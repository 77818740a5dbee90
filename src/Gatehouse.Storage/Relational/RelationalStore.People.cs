using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Core.Naming;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private string? _peopleSql;

    /// <summary>
    /// The people behind what <paramref name="actor"/> files now: the person who pushes; for a
    /// deploy token, the person who created it (every creator of the app's live deploy tokens when
    /// the token is not named: any of them might be behind it) and the person the CI run names; for a CI run's own token (no deploy token), the run's trigger.
    /// </summary>
    private static async Task<IReadOnlyList<RequestPerson>> PeopleBehindAsync(WriteScope scope, Actor actor, CancellationToken ct)
    {
        if (actor.Kind == ActorKind.User)
        {
            return [new RequestPerson(actor.Name, PersonRole.Pusher)];
        }

        if (actor.Kind != ActorKind.App)
        {
            return [];
        }

        var people = new List<RequestPerson>();
        if (actor.CiRule is null)
        {
            await AddTokenCreatorsAsync(scope, actor, people, ct);
        }

        // A name that is no user name is no person of ours; it is not recorded.
        if (actor.TriggeredBy is { } trigger && NameRules.IsUserName(trigger))
        {
            people.Add(new RequestPerson(trigger, PersonRole.Trigger));
        }

        return people;
    }

    private static async Task AddTokenCreatorsAsync(WriteScope scope, Actor actor, List<RequestPerson> people, CancellationToken ct)
    {
        await using (var command = actor.TokenId is { } tokenId
            ? scope.Command("SELECT created_by FROM tokens WHERE id = @id AND kind = 'deploy' AND subject = @app", ("@id", tokenId), ("@app", actor.Name))
            : scope.Command("SELECT DISTINCT created_by FROM tokens WHERE kind = 'deploy' AND subject = @app AND revoked_at IS NULL AND expires_at > @now ORDER BY created_by",
                ("@app", actor.Name), ("@now", scope.Now)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(0) is { } createdBy && createdBy.StartsWith("user:", StringComparison.Ordinal))
                {
                    people.Add(new RequestPerson(createdBy["user:".Length..], PersonRole.TokenCreator));
                }
            }
        }
    }

    /// <summary>The people behind each of the given requests.</summary>
    private async Task<Dictionary<long, List<RequestPerson>>> ReadPeopleAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<long> ids, CancellationToken ct)
    {
        var people = new Dictionary<long, List<RequestPerson>>();
        _peopleSql ??= $"SELECT request_id, person, role FROM request_people WHERE {Engine.InIds("request_id", "@ids")} ORDER BY request_id, role, person";
        await using var command = Db.Command(connection, transaction, _peopleSql, ("@ids", JsonParameters.Ids(ids)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var requestId = reader.GetInt64(0);
            if (!people.TryGetValue(requestId, out var list))
            {
                people[requestId] = list = [];
            }

            list.Add(new RequestPerson(reader.GetString(1), Names.ToPersonRole(reader.GetString(2))));
        }

        return people;
    }
}
