using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>Public keys of private_key_jwt clients.</summary>
internal sealed partial class RelationalOAuthStore
{
    public async Task<bool> AddClientKeyAsync(ClientPublicKey key, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (await scope.ScalarAsync("SELECT app FROM oauth_clients WHERE id = @id", ct, ("@id", key.ClientId)) is not string app
            || !await InsertKeyAsync(scope, key, app, ct))
        {
            return false;
        }

        await scope.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<ClientPublicKey>> ListClientKeysAsync(string clientId, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null,
            $"SELECT {OAuthRows.KeyColumns} FROM oauth_client_keys WHERE client_id = @id ORDER BY added_at, kid", ("@id", clientId));
        return await OAuthRows.KeysAsync(command, ct);
    }

    public async Task<bool> RemoveClientKeyAsync(string clientId, string kid, string removedBy, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (await scope.ScalarAsync(
                "SELECT c.app FROM oauth_client_keys k JOIN oauth_clients c ON c.id = k.client_id WHERE k.client_id = @id AND k.kid = @kid",
                ct, ("@id", clientId), ("@kid", kid)) is not string app)
        {
            return false;
        }

        await scope.ExecuteAsync("DELETE FROM oauth_client_keys WHERE client_id = @id AND kid = @kid", ct, ("@id", clientId), ("@kid", kid));
        scope.Audit.Append(removedBy, "client.key_removed", "client/" + clientId, app, data: StoreJson.Data(("kid", kid)));
        await scope.CommitAsync(ct);
        return true;
    }

    private static async Task<bool> InsertKeyAsync(WriteScope scope, ClientPublicKey key, string app, CancellationToken ct)
    {
        var inserted = await scope.ExecuteAsync(
            $"INSERT INTO oauth_client_keys ({OAuthRows.KeyColumns}) VALUES (@id, @kid, @jwk, @at, @by) ON CONFLICT DO NOTHING", ct,
            ("@id", key.ClientId), ("@kid", key.Kid), ("@jwk", key.Jwk), ("@at", key.AddedAt.ToUnixTimeMilliseconds()), ("@by", key.AddedBy));
        if (inserted == 1)
        {
            scope.Audit.Append(key.AddedBy, "client.key_added", "client/" + key.ClientId, app, data: StoreJson.Data(("kid", key.Kid)));
        }

        return inserted == 1;
    }
}
