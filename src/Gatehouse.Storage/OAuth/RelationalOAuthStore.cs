using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>
/// <see cref="IOAuthStore"/> on the store's own engine (same database, same connections): client
/// changes run in a <see cref="WriteScope"/> with their audit events; reads are plain queries.
/// </summary>
internal sealed partial class RelationalOAuthStore(StoreEngine engine, TimeProvider time) : IOAuthStore
{
    public async Task CreateClientAsync(OAuthClient client, ClientPublicKey? firstKey, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        await scope.ExecuteAsync(
            "INSERT INTO oauth_clients (id, app, environment, description, auth_method, secret_hash, created_at, created_by) VALUES (@id, @app, @env, @description, @method, @hash, @at, @by)", ct,
            ("@id", client.Id), ("@app", client.App), ("@env", client.Environment), ("@description", client.Description),
            ("@method", client.AuthMethod.ToString()), ("@hash", client.SecretHash), ("@at", client.CreatedAt.ToUnixTimeMilliseconds()), ("@by", client.CreatedBy));
        scope.Audit.Append(client.CreatedBy, "client.created", Subject(client.Id), client.App,
            data: StoreJson.Data(("environment", client.Environment), ("authMethod", client.AuthMethod.ToString())));
        if (firstKey is not null)
        {
            await InsertKeyAsync(scope, firstKey, client.App, ct);
        }

        await scope.CommitAsync(ct);
    }

    public async Task<OAuthClient?> GetClientAsync(string clientId, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {OAuthRows.ClientColumns} FROM oauth_clients WHERE id = @id", ("@id", clientId));
        return (await OAuthRows.ClientsAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<OAuthClient>> ListClientsAsync(string? app, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        // No untyped NULL parameter: PostgreSQL cannot infer its type.
        await using var command = app is null
            ? Db.Command(lease.Connection, null, $"SELECT {OAuthRows.ClientColumns} FROM oauth_clients ORDER BY app, environment, created_at")
            : Db.Command(lease.Connection, null, $"SELECT {OAuthRows.ClientColumns} FROM oauth_clients WHERE app = @app ORDER BY environment, created_at", ("@app", app));
        return await OAuthRows.ClientsAsync(command, ct);
    }

    public async Task<bool> RevokeClientAsync(string clientId, string revokedBy, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (await scope.ScalarAsync("SELECT app FROM oauth_clients WHERE id = @id AND revoked_at IS NULL", ct, ("@id", clientId)) is not string app)
        {
            return false;
        }

        await scope.ExecuteAsync("UPDATE oauth_clients SET revoked_at = @at, revoked_by = @by WHERE id = @id", ct,
            ("@at", scope.Now), ("@by", revokedBy), ("@id", clientId));
        scope.Audit.Append(revokedBy, "client.revoked", Subject(clientId), app);
        await scope.CommitAsync(ct);
        return true;
    }

    public async Task<bool> RotateClientSecretAsync(string clientId, string newSecretHash, DateTimeOffset? previousValidUntil, string rotatedBy, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        if (await scope.ScalarAsync("SELECT app FROM oauth_clients WHERE id = @id AND revoked_at IS NULL AND auth_method = @method", ct,
                ("@id", clientId), ("@method", nameof(ClientAuthMethod.ClientSecret))) is not string app)
        {
            return false;
        }

        // Without an overlap the old secret stops at once: no previous hash is kept at all.
        if (previousValidUntil is { } until)
        {
            await scope.ExecuteAsync(
                "UPDATE oauth_clients SET previous_secret_hash = secret_hash, previous_secret_expires_at = @until, secret_hash = @hash WHERE id = @id", ct,
                ("@until", until.ToUnixTimeMilliseconds()), ("@hash", newSecretHash), ("@id", clientId));
        }
        else
        {
            await scope.ExecuteAsync(
                "UPDATE oauth_clients SET previous_secret_hash = NULL, previous_secret_expires_at = NULL, secret_hash = @hash WHERE id = @id", ct,
                ("@hash", newSecretHash), ("@id", clientId));
        }

        scope.Audit.Append(rotatedBy, "client.secret_rotated", Subject(clientId), app,
            data: StoreJson.Data(("previousValidUntil", previousValidUntil?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "now")));
        await scope.CommitAsync(ct);
        return true;
    }

    private static string Subject(string clientId) => "client/" + clientId;
}
