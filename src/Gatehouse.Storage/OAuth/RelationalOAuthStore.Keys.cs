using Dapper;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>Public keys of private_key_jwt clients.</summary>
internal sealed partial class RelationalOAuthStore
{
    public async Task<bool> AddClientKeyAsync(ClientPublicKey key, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (!await InsertKeyAsync(scope, key, ct))
        {
            return false;
        }

        await scope.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<ClientPublicKey>> ListClientKeysAsync(string clientId, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        var rows = await lease.Connection.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT client_id AS ClientId, kid AS Kid, jwk AS Jwk, added_at AS AddedAt, added_by AS AddedBy FROM oauth_client_keys WHERE client_id = @clientId ORDER BY added_at, kid",
            new { clientId }, cancellationToken: ct));
        return [.. rows.Select(r => new ClientPublicKey(r.ClientId, r.Kid, r.Jwk, DateTimeOffset.FromUnixTimeMilliseconds(r.AddedAt), r.AddedBy))];
    }

    public async Task<bool> RemoveClientKeyAsync(string clientId, string kid, string removedBy, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        var app = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT c.app FROM oauth_client_keys k JOIN oauth_clients c ON c.id = k.client_id WHERE k.client_id = @clientId AND k.kid = @kid",
            new { clientId, kid }, scope.Transaction, cancellationToken: ct));
        if (app is null)
        {
            return false;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM oauth_client_keys WHERE client_id = @clientId AND kid = @kid", new { clientId, kid }, scope.Transaction, cancellationToken: ct));
        scope.Audit.Append(removedBy, "client.key_removed", "client/" + clientId, app, data: StoreJson.Data(("kid", kid)));
        await scope.CommitAsync(ct);
        return true;
    }

    private static async Task<bool> InsertKeyAsync(WriteScope scope, ClientPublicKey key, CancellationToken ct)
    {
        var inserted = await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO oauth_client_keys (client_id, kid, jwk, added_at, added_by)
            VALUES (@ClientId, @Kid, @Jwk, @AddedAt, @AddedBy) ON CONFLICT DO NOTHING
            """,
            new { key.ClientId, key.Kid, key.Jwk, AddedAt = key.AddedAt.ToUnixTimeMilliseconds(), key.AddedBy }, scope.Transaction, cancellationToken: ct));
        if (inserted == 1)
        {
            var app = await scope.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT app FROM oauth_clients WHERE id = @ClientId", new { key.ClientId }, scope.Transaction, cancellationToken: ct));
            scope.Audit.Append(key.AddedBy, "client.key_added", "client/" + key.ClientId, app, data: StoreJson.Data(("kid", key.Kid)));
        }

        return inserted == 1;
    }
}
