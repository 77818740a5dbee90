using Dapper;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>
/// Assertion replay records and signing keys: plain statements outside the audited write lock,
/// since neither is a decision anybody made (and one assertion per token must stay cheap).
/// </summary>
internal sealed partial class RelationalOAuthStore
{
    private static readonly long PruneEveryMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private long _nextPruneAt;

    public async Task<long> ChangeVersionAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, "SELECT seq FROM audit_head WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<bool> TryRecordAssertionAsync(string clientId, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var lease = await engine.OpenAsync(ct);
        var db = lease.Connection;
        var pruneAt = Interlocked.Read(ref _nextPruneAt);
        if (pruneAt <= nowMs && Interlocked.CompareExchange(ref _nextPruneAt, nowMs + PruneEveryMs, pruneAt) == pruneAt)
        {
            await db.ExecuteAsync(new CommandDefinition("DELETE FROM oauth_used_assertions WHERE expires_at < @nowMs", new { nowMs }, cancellationToken: ct));
        }

        // The primary key makes this atomic across replicas: exactly one insert of a jti wins.
        var inserted = await db.ExecuteAsync(new CommandDefinition(
            "INSERT INTO oauth_used_assertions (client_id, jti, expires_at) VALUES (@clientId, @jti, @expiresAt) ON CONFLICT DO NOTHING",
            new { clientId, jti, expiresAt = expiresAt.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return inserted == 1;
    }

    public async Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        var rows = await lease.Connection.QueryAsync<SigningKeyRow>(new CommandDefinition(
            SigningKeyRow.Select + " ORDER BY activates_at, kid", cancellationToken: ct));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        var inserted = await lease.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO oauth_signing_keys (kid, algorithm, slot, public_jwk, protected_private_key, kek_id, created_at, activates_at)
            VALUES (@Kid, @Algorithm, @Slot, @PublicJwk, @ProtectedPrivateKey, @KekId, @CreatedAt, @ActivatesAt)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                key.Kid, key.Algorithm, key.Slot, key.PublicJwk, key.ProtectedPrivateKey, key.KekId,
                CreatedAt = key.CreatedAt.ToUnixTimeMilliseconds(),
                ActivatesAt = key.ActivatesAt.ToUnixTimeMilliseconds(),
            },
            cancellationToken: ct));
        return inserted == 1;
    }
}
