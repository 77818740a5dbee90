using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Usage;

/// <summary>
/// <see cref="IUsageStore"/> on the store's engine. A flush is one short transaction outside the
/// audit write lock (last use is evidence, not a change). Rows are written in a fixed order so two
/// replicas flushing at once on PostgreSQL lock them in the same order and never deadlock.
/// </summary>
internal sealed class RelationalUsageStore(StoreEngine engine) : IUsageStore
{
    // "Only forward": a replica that flushes an older time after a newer one changes nothing.
    private const string GrantSql = """
        UPDATE grants SET last_used_at = @at
        WHERE consumer = @c AND provider = @p AND scope = @s AND environment = @e AND state = 'active'
          AND (last_used_at IS NULL OR last_used_at < @at)
        """;

    private const string TokenSql = "UPDATE tokens SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)";

    private const string ClientSql = "UPDATE oauth_clients SET last_used_at = @at, last_scopes = @scopes WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)";

    public async Task WriteAsync(UsageBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        await using var lease = await engine.OpenAsync(ct);
        await using var transaction = await lease.Connection.BeginTransactionAsync(ct);
        if (batch.Grants.Count > 0)
        {
            var rows = batch.Grants
                .OrderBy(g => g.Consumer, StringComparer.Ordinal).ThenBy(g => g.Provider, StringComparer.Ordinal)
                .ThenBy(g => g.Scope, StringComparer.Ordinal).ThenBy(g => g.Environment, StringComparer.Ordinal)
                .Select(g => new object?[] { g.At.ToUnixTimeMilliseconds(), g.Consumer, g.Provider, g.Scope, g.Environment })
                .ToList();
            await engine.ExecuteManyAsync(lease.Connection, transaction, GrantSql, ["@at", "@c", "@p", "@s", "@e"], rows, ct);
        }

        if (batch.Tokens.Count > 0)
        {
            var rows = batch.Tokens.OrderBy(t => t.Id, StringComparer.Ordinal)
                .Select(t => new object?[] { t.At.ToUnixTimeMilliseconds(), t.Id }).ToList();
            await engine.ExecuteManyAsync(lease.Connection, transaction, TokenSql, ["@at", "@id"], rows, ct);
        }

        if (batch.Clients.Count > 0)
        {
            var rows = batch.Clients.OrderBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new object?[] { c.At.ToUnixTimeMilliseconds(), c.Scopes, c.Id }).ToList();
            await engine.ExecuteManyAsync(lease.Connection, transaction, ClientSql, ["@at", "@scopes", "@id"], rows, ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> GrantLastUseAsync(IEnumerable<long> grantIds, CancellationToken ct = default)
    {
        var ids = grantIds.Distinct().ToList();
        var result = new Dictionary<long, DateTimeOffset>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }

        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null,
            $"SELECT id, last_used_at FROM grants WHERE last_used_at IS NOT NULL AND {engine.InIds("id", "@ids")}", ("@ids", JsonParameters.Ids(ids)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetInt64(0)] = reader.Time(1);
        }

        return result;
    }

    public Task<IReadOnlyDictionary<string, CredentialLastUse>> TokenLastUseAsync(IEnumerable<string> tokenIds, CancellationToken ct = default) =>
        CredentialsAsync("SELECT id, last_used_at, NULL FROM tokens", tokenIds, ct);

    public Task<IReadOnlyDictionary<string, CredentialLastUse>> ClientLastUseAsync(IEnumerable<string> clientIds, CancellationToken ct = default) =>
        CredentialsAsync("SELECT id, last_used_at, last_scopes FROM oauth_clients", clientIds, ct);

    private async Task<IReadOnlyDictionary<string, CredentialLastUse>> CredentialsAsync(string select, IEnumerable<string> ids, CancellationToken ct)
    {
        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, CredentialLastUse>(list.Count, StringComparer.Ordinal);
        if (list.Count == 0)
        {
            return result;
        }

        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null,
            $"{select} WHERE last_used_at IS NOT NULL AND {engine.InTexts("id", "@ids")}", ("@ids", JsonParameters.Texts(list)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = new CredentialLastUse(reader.Time(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return result;
    }
}
