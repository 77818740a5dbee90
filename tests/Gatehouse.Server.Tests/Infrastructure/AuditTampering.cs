using Gatehouse.Core.Access;
using Gatehouse.Server.Audit;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>What an attacker does to a running server's SQLite file, straight through the file.</summary>
internal static class AuditTampering
{
    public static async Task ExecuteAsync(string dataDirectory, string sql)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(await command.ExecuteNonQueryAsync() > 0, $"changed nothing: {sql}");
    }

    /// <summary>
    /// Someone holding the database and the key-encryption key: unwraps the audit key and
    /// recomputes every link and the head, so the keyed chain verifies again.
    /// </summary>
    public static async Task RechainWithTheAuditKeyAsync(string dataDirectory)
    {
        var kek = KeyEncryption.Resolve(new OAuthOptions(), new GatehouseOptions { DataDirectory = dataDirectory });
        await using var connection = await OpenAsync(dataDirectory);
        byte[] key;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id, kek_id, wrapped_key FROM audit_keys";
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            key = new AuditKeyProtection(kek).Unwrap(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var events = new List<AuditEvent>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT seq, occurred_at, actor, action, subject, app, provider_app, comment, correlation_id, data FROM audit_events ORDER BY seq";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(new AuditEvent(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9), "", ""));
            }
        }

        var previous = AuditChain.GenesisHash;
        foreach (var e in events)
        {
            var hash = AuditChain.ComputeHash(key, e with { PreviousHash = previous });
            await ExecuteAsync(dataDirectory, $"UPDATE audit_events SET previous_hash = '{previous}', hash = '{hash}' WHERE seq = {e.Seq}");
            previous = hash;
        }

        await ExecuteAsync(dataDirectory, $"UPDATE audit_head SET hash = '{previous}' WHERE id = 1");
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "gatehouse.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
