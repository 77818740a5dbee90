using Dapper;
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
        await scope.Connection.ExecuteAsync(new CommandDefinition(
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
            scope.Transaction, cancellationToken: ct));
        scope.Audit.Append(client.CreatedBy, "client.created", Subject(client.Id), client.App,
            data: StoreJson.Data(("environment", client.Environment), ("authMethod", client.AuthMethod.ToString())));
        if (firstKey is not null)
        {
            await InsertKeyAsync(scope, firstKey, ct);
        }

        await scope.CommitAsync(ct);
    }

    public async Task<OAuthClient?> GetClientAsync(string clientId, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        var row = await lease.Connection.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(ClientRow.Select + " WHERE id = @clientId", new { clientId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<OAuthClient>> ListClientsAsync(string? app, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        var rows = await lease.Connection.QueryAsync<ClientRow>(new CommandDefinition(
            ClientRow.Select + " WHERE (@app IS NULL OR app = @app) ORDER BY app, environment, created_at", new { app }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> RevokeClientAsync(string clientId, string revokedBy, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await WriteScope.BeginAsync(engine, time, correlationId, ct);
        var app = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT app FROM oauth_clients WHERE id = @clientId AND revoked_at IS NULL", new { clientId }, scope.Transaction, cancellationToken: ct));
        if (app is null)
        {
            return false;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE oauth_clients SET revoked_at = @at, revoked_by = @revokedBy WHERE id = @clientId",
            new { clientId, revokedBy, at = scope.Now }, scope.Transaction, cancellationToken: ct));
        scope.Audit.Append(revokedBy, "client.revoked", Subject(clientId), app);
        await scope.CommitAsync(ct);
        return true;
    }

    private static string Subject(string clientId) => "client/" + clientId;
}
