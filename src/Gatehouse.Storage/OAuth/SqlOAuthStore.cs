using System.Data.Common;
using Dapper;

namespace Gatehouse.Storage.OAuth;

/// <summary>
/// <see cref="IOAuthStore"/> over Dapper. The statements are portable SQL (ON CONFLICT DO
/// NOTHING, BIGINT milliseconds), so SQLite and PostgreSQL share this class and differ only in
/// how a connection is opened.
/// </summary>
internal sealed partial class SqlOAuthStore(Func<CancellationToken, Task<DbConnection>> open) : IOAuthStore
{
    private long _nextPruneAt;

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var db = await open(ct);
        await db.ExecuteAsync(new CommandDefinition(OAuthSchema.Version1, cancellationToken: ct));
    }

    public async Task CreateClientAsync(OAuthClient client, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        await db.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO oauth_clients (id, app, environment, description, auth_method, secret_hash, created_at, created_by)
            VALUES (@Id, @App, @Environment, @Description, @AuthMethod, @SecretHash, @CreatedAt, @CreatedBy)
            """,
            new
            {
                client.Id, client.App, client.Environment, client.Description,
                AuthMethod = client.AuthMethod.ToString(), client.SecretHash,
                CreatedAt = client.CreatedAt.ToUnixTimeMilliseconds(), client.CreatedBy,
            },
            cancellationToken: ct));
    }

    public async Task<OAuthClient?> GetClientAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        var row = await db.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(ClientRow.Select + " WHERE id = @clientId", new { clientId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<OAuthClient>> ListClientsAsync(string? app, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        var rows = await db.QueryAsync<ClientRow>(new CommandDefinition(
            ClientRow.Select + " WHERE (@app IS NULL OR app = @app) ORDER BY app, environment, created_at", new { app }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> RevokeClientAsync(string clientId, string revokedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        var changed = await db.ExecuteAsync(new CommandDefinition(
            "UPDATE oauth_clients SET revoked_at = @at, revoked_by = @revokedBy WHERE id = @clientId AND revoked_at IS NULL",
            new { clientId, revokedBy, at = at.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return changed == 1;
    }

    public async Task<bool> AddClientKeyAsync(ClientPublicKey key, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        var inserted = await db.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO oauth_client_keys (client_id, kid, jwk, added_at, added_by)
            VALUES (@ClientId, @Kid, @Jwk, @AddedAt, @AddedBy) ON CONFLICT DO NOTHING
            """,
            new { key.ClientId, key.Kid, key.Jwk, AddedAt = key.AddedAt.ToUnixTimeMilliseconds(), key.AddedBy }, cancellationToken: ct));
        return inserted == 1;
    }

    public async Task<IReadOnlyList<ClientPublicKey>> ListClientKeysAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        var rows = await db.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT client_id AS ClientId, kid AS Kid, jwk AS Jwk, added_at AS AddedAt, added_by AS AddedBy FROM oauth_client_keys WHERE client_id = @clientId ORDER BY added_at, kid",
            new { clientId }, cancellationToken: ct));
        return [.. rows.Select(r => new ClientPublicKey(r.ClientId, r.Kid, r.Jwk, DateTimeOffset.FromUnixTimeMilliseconds(r.AddedAt), r.AddedBy))];
    }

    public async Task<bool> RemoveClientKeyAsync(string clientId, string kid, CancellationToken ct = default)
    {
        await using var db = await open(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "DELETE FROM oauth_client_keys WHERE client_id = @clientId AND kid = @kid", new { clientId, kid }, cancellationToken: ct)) == 1;
    }
}
