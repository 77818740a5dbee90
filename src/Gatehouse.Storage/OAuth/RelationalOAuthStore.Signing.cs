using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>
/// Assertion replay records and signing keys: plain statements outside the
/// audited write lock, since none is a decision anybody made (and one assertion per token must
/// stay cheap).
/// </summary>
internal sealed partial class RelationalOAuthStore
{
    private static readonly long PruneEveryMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private long _nextPruneAt;

    public async Task<bool> TryRecordAssertionAsync(string clientId, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var lease = await engine.OpenAsync(ct);
        var pruneAt = Interlocked.Read(ref _nextPruneAt);
        if (pruneAt <= nowMs && Interlocked.CompareExchange(ref _nextPruneAt, nowMs + PruneEveryMs, pruneAt) == pruneAt)
        {
            await Db.ExecuteAsync(lease.Connection, null, "DELETE FROM oauth_used_assertions WHERE expires_at < @now", ct, ("@now", nowMs));
        }

        // The primary key makes this atomic across replicas: exactly one insert of a jti wins.
        return await Db.ExecuteAsync(lease.Connection, null,
            "INSERT INTO oauth_used_assertions (client_id, jti, expires_at) VALUES (@id, @jti, @expires) ON CONFLICT DO NOTHING", ct,
            ("@id", clientId), ("@jti", jti), ("@expires", expiresAt.ToUnixTimeMilliseconds())) == 1;
    }

    public async Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {OAuthRows.SigningKeyColumns} FROM oauth_signing_keys ORDER BY activates_at, kid");
        return await OAuthRows.SigningKeysAsync(command, ct);
    }

    public async Task<bool> AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        await using var lease = await engine.OpenAsync(ct);
        return await Db.ExecuteAsync(lease.Connection, null,
            $"INSERT INTO oauth_signing_keys ({OAuthRows.SigningKeyColumns}) VALUES (@kid, @alg, @slot, @jwk, @private, @kek, @created, @activates) ON CONFLICT DO NOTHING", ct,
            ("@kid", key.Kid), ("@alg", key.Algorithm), ("@slot", key.Slot), ("@jwk", key.PublicJwk), ("@private", key.ProtectedPrivateKey),
            ("@kek", key.KekId), ("@created", key.CreatedAt.ToUnixTimeMilliseconds()), ("@activates", key.ActivatesAt.ToUnixTimeMilliseconds())) == 1;
    }
}
