namespace Gatehouse.Storage.Relational.Migrations;

/// <summary>
/// The people behind each request (docs/adr/0005-grant-workflow.md): who pushed it, who created
/// the deploy token that pushed it, who triggered the CI run. None of them may decide it.
/// Pending requests filed before this migration get the people that can still be known: the
/// pushing user, or every user who created a deploy token of the consuming app (failing
/// closed: any of them might have pushed). A vote the bootstrap token cast on a pending request
/// no longer counts (its audit event stays): only people vote.
/// </summary>
internal static class V4RequestPeople
{
    public static readonly Migration Migration = new(4, "request-people", """
        CREATE TABLE request_people (
            request_id BIGINT NOT NULL REFERENCES requests (id),
            person TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (request_id, person, role)
        );

        INSERT INTO request_people (request_id, person, role)
        SELECT r.id, SUBSTR(r.requested_by, 6), 'pusher' FROM requests r
        WHERE r.state = 'pending' AND r.requested_by LIKE 'user:%';

        INSERT INTO request_people (request_id, person, role)
        SELECT DISTINCT r.id, SUBSTR(t.created_by, 6), 'token-creator' FROM requests r
        JOIN tokens t ON t.kind = 'deploy' AND t.subject = r.consumer AND t.created_by LIKE 'user:%'
        WHERE r.state = 'pending' AND r.requested_by = 'app:' || r.consumer;

        DELETE FROM request_votes WHERE approver = 'bootstrap'
            AND request_id IN (SELECT id FROM requests WHERE state = 'pending');
        """);
}
