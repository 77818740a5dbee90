using System.Data.Common;
using System.Text.Json;
using Gatehouse.Core.Notifications;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Notifications;

internal sealed partial class RelationalNotificationStore
{
    private const int RouteBatch = 200;
    private static readonly string[] DeliveryColumns = ["id", "event_id", "seq", "target", "subject", "state", "attempts", "next_attempt_at", "created_at"];

    // Who an event concerns: the apps whose owners hear of it, the people behind it, the environments it is in.
    private sealed record Audience(List<string> Apps, List<string> People, List<string> Environments, string? Context);

    public async Task<int> RouteAsync(OrganisationFile? organisation, Func<DateTimeOffset, DateTimeOffset> dailyAt, CancellationToken ct = default)
    {
        // Looked for outside the write lock: most rounds find nothing to route.
        await using (var read = await engine.OpenAsync(ct))
        {
            if (await Db.ScalarAsync(read.Connection, null, "SELECT id FROM notification_events WHERE routed_at IS NULL LIMIT 1", ct) is null)
            {
                return 0;
            }
        }

        if (!HasTargets(organisation))
        {
            // Nothing declares a target, so nothing is ever delivered: every waiting event is routed
            // in one statement instead of working out its audience (a push of 10,000 apps left the
            // worker routing a quarter of a million events 200 at a time, under the hot paths).
            return await WriteAsync((connection, transaction, now) =>
                Db.ExecuteAsync(connection, transaction, "UPDATE notification_events SET routed_at = @now WHERE routed_at IS NULL", ct, ("@now", now)), ct);
        }

        return await WriteAsync(async (connection, transaction, now) =>
        {
            var events = new List<NotificationEvent>();
            await using (var command = Db.Command(connection, transaction, $"""
                SELECT e.id, e.seq, e.type, e.subject, e.actor, e.app, e.provider_app, e.comment, e.data, e.context, e.occurred_at
                FROM notification_events e WHERE e.routed_at IS NULL ORDER BY e.seq, e.id LIMIT {RouteBatch}
                """))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    events.Add(ReadEvent(reader, 0));
                }
            }

            foreach (var notification in events)
            {
                var audience = await AudienceAsync(connection, transaction, notification, ct);
                var rows = new List<object?[]>();
                if (organisation is not null)
                {
                    var teams = await OwnerTeamsAsync(connection, transaction, audience, ct);
                    foreach (var (id, target) in NotificationRouting.Targets(organisation, teams.Teams, teams.People, audience.Environments))
                    {
                        var due = target.Digest == NotificationDigest.Daily ? dailyAt(DateTimeOffset.FromUnixTimeMilliseconds(now)).ToUnixTimeMilliseconds() : now;
                        rows.Add([NotificationOutbox.NewId("msg"), notification.Id, notification.Seq, id, notification.Subject, "pending", 0L, due, now]);
                    }
                }

                await engine.InsertManyAsync(connection, transaction, "notification_deliveries", DeliveryColumns, rows, ct);
                await Db.ExecuteAsync(connection, transaction, "UPDATE notification_events SET routed_at = @now, context = @context WHERE id = @id",
                    ct, ("@now", now), ("@context", audience.Context), ("@id", notification.Id));
            }

            return events.Count;
        }, ct);
    }

    private static bool HasTargets(OrganisationFile? organisation) =>
        organisation is not null && (organisation.Teams.Any(t => t.Notify.Count > 0) || organisation.Environments.Any(e => e.Notify.Count > 0));

    private static async Task<Audience> AudienceAsync(DbConnection connection, DbTransaction transaction, NotificationEvent notification, CancellationToken ct)
    {
        var data = notification.Data is null ? default : JsonDocument.Parse(notification.Data).RootElement.Clone();
        switch (notification.Type)
        {
            case "request.filed" or "request.voted" or "request.approved" or "request.denied"
                when long.TryParse(notification.Subject.AsSpan("request/".Length), out var requestId):
                {
                    var row = await RowAsync(connection, transaction, "SELECT consumer, provider, scope, environment, requested_by, reason FROM requests WHERE id = @id", requestId, ct);
                    if (row is null)
                    {
                        return Empty();
                    }

                    var people = await TextsAsync(connection, transaction, "SELECT person FROM request_people WHERE request_id = @id ORDER BY person", requestId, ct);
                    if (row[4] is { } by && by.StartsWith("user:", StringComparison.Ordinal))
                    {
                        people.Add(by[5..]);
                    }

                    var filed = notification.Type == "request.filed";
                    var context = StoreJson.Data(("request", requestId), ("consumer", row[0]), ("provider", row[1]), ("scope", row[2]),
                        ("environment", row[3]), ("requestedBy", row[4]), ("reason", row[5]), ("people", people.Distinct().ToList()));

                    // Filed: the owners of the data decide. Voted and decided: the consumer's owners and the people behind the request.
                    return new Audience([filed ? row[1]! : row[0]!], filed ? [] : people, [row[3]!], context);
                }

            case "grant.revoked" when data.ValueKind == JsonValueKind.Object && data.TryGetProperty("grant", out var grant) && grant.TryGetInt64(out var grantId):
                {
                    var row = await RowAsync(connection, transaction, "SELECT consumer, provider, scope, environment, request_id FROM grants WHERE id = @id", grantId, ct);
                    return row is null ? Empty() : new Audience([row[0]!], [], [row[3]!], StoreJson.Data(("grant", grantId), ("consumer", row[0]), ("provider", row[1]),
                        ("scope", row[2]), ("environment", row[3]), ("request", row[4])));
                }

            case "scope.deprecated" when notification.Subject.IndexOf(':') > 0:
                {
                    var colon = notification.Subject.IndexOf(':');
                    var (provider, scope) = (notification.Subject[..colon], notification.Subject[(colon + 1)..]);
                    var consumers = new List<string>();
                    var environments = new List<string>();
                    await using (var command = Db.Command(connection, transaction,
                        "SELECT DISTINCT consumer, environment FROM grants WHERE provider = @p AND scope = @s AND state = 'active' ORDER BY consumer, environment",
                        ("@p", provider), ("@s", scope)))
                    await using (var reader = await command.ExecuteReaderAsync(ct))
                    {
                        while (await reader.ReadAsync(ct))
                        {
                            consumers.Add(reader.GetString(0));
                            environments.Add(reader.GetString(1));
                        }
                    }

                    // Every consumer holding it hears, in every environment it holds it in.
                    return new Audience([.. consumers.Distinct()], [], [.. environments.Distinct()],
                        StoreJson.Data(("provider", provider), ("scope", scope), ("consumers", consumers.Distinct().ToList())));
                }

            case "credential.expiring" when data.ValueKind == JsonValueKind.Object:
                {
                    var kind = data.GetProperty("kind").GetString();
                    var subject = data.GetProperty("subject").GetString()!;
                    return kind == "deploy"
                        ? new Audience([subject], [], [], StoreJson.Data(("app", subject)))
                        : new Audience([], [subject], [], StoreJson.Data(("person", subject)));
                }

            default:
                return Empty();
        }

        static Audience Empty() => new([], [], [], null);
    }

    private static async Task<(List<string> Teams, List<string> People)> OwnerTeamsAsync(DbConnection connection, DbTransaction transaction, Audience audience, CancellationToken ct)
    {
        var teams = new List<string>();
        var people = new List<string>(audience.People);
        foreach (var app in audience.Apps)
        {
            await using var command = Db.Command(connection, transaction, "SELECT kind, name FROM app_owners WHERE app = @app ORDER BY position", ("@app", app));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                (reader.GetString(0) == "team" ? teams : people).Add(reader.GetString(1));
            }
        }

        return (teams, people);
    }

    private static async Task<string?[]?> RowAsync(DbConnection connection, DbTransaction transaction, string sql, long id, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, sql, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var row = new string?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        }

        return row;
    }

    private static async Task<List<string>> TextsAsync(DbConnection connection, DbTransaction transaction, string sql, long id, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, sql, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var texts = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }
}
