using System.Data.Common;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>The column lists and readers of the OAuth tables.</summary>
internal static class OAuthRows
{
    public const string ClientColumns =
        "id, app, environment, description, auth_method, secret_hash, created_at, created_by, revoked_at, revoked_by, previous_secret_hash, previous_secret_expires_at";

    public const string KeyColumns = "client_id, kid, jwk, added_at, added_by";

    public const string SigningKeyColumns =
        "kid, algorithm, slot, public_jwk, protected_private_key, kek_id, created_at, activates_at";

    public static async Task<List<OAuthClient>> ClientsAsync(DbCommand command, CancellationToken ct)
    {
        var clients = new List<OAuthClient>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            clients.Add(new OAuthClient(
                r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), Enum.Parse<ClientAuthMethod>(r.GetString(4)),
                r.NullableString(5), r.Time(6), r.GetString(7), r.NullableTime(8), r.NullableString(9), r.NullableString(10), r.NullableTime(11)));
        }

        return clients;
    }

    public static async Task<List<ClientPublicKey>> KeysAsync(DbCommand command, CancellationToken ct)
    {
        var keys = new List<ClientPublicKey>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            keys.Add(new ClientPublicKey(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3), r.GetString(4)));
        }

        return keys;
    }

    public static async Task<List<SigningKeyRecord>> SigningKeysAsync(DbCommand command, CancellationToken ct)
    {
        var keys = new List<SigningKeyRecord>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            keys.Add(new SigningKeyRecord(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), r.Time(6), r.Time(7)));
        }

        return keys;
    }
}
