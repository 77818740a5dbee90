using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Storage;
using Gatehouse.Storage.Keys;
using Gatehouse.Storage.OAuth;
using Gatehouse.Testing;
using static Gatehouse.OAuth.Tests.Keys.KekDatabase;
using static Gatehouse.OAuth.Tests.Keys.KekServer;

namespace Gatehouse.OAuth.Tests.Keys;

/// <summary>
/// Rotating the key-encryption key keeps everything it protects working: portal sessions, the
/// signing keys (old tokens still verify against the JWKS) and the audit chain; and nothing is
/// left wrapped under the old KEK. Offline with `gatehouse keys rotate-kek`, or by starting a
/// server with the old KEK as a previous one.
/// </summary>
public sealed class KekRotationTests
{
    private readonly string _old = NewKek();
    private readonly string _new = NewKek();

    [Fact]
    public Task RotateKek_OnSqlite_KeepsSessionsSigningKeysAndAudit_AndLeavesNothingUnderTheOldKek() => RotateWithTheCliAsync(postgres: null);

    [PostgresFact]
    public async Task RotateKek_OnPostgres_KeepsSessionsSigningKeysAndAudit_AndLeavesNothingUnderTheOldKek() =>
        await RotateWithTheCliAsync(await PostgresFactAttribute.CreateDatabaseAsync());

    [Fact]
    public Task StartingWithThePreviousKek_RewrapsAtStart_WhileTheOldReplicaRuns_OnSqlite() => RotateAtStartAsync(postgres: null);

    [PostgresFact]
    public async Task StartingWithThePreviousKek_RewrapsAtStart_WhileTheOldReplicaRuns_OnPostgres() =>
        await RotateAtStartAsync(await PostgresFactAttribute.CreateDatabaseAsync());

    [Fact]
    public async Task RotateKek_WithAWrongOldKek_FailsNamingTheStoredKekId_AndChangesNothing()
    {
        using var database = Create(postgres: null);
        await using (var server = await StartAsync(database, Kek(_old)))
        {
            await server.UseAsync();
        }

        var before = await SnapshotAsync(database);
        var wrong = NewKek();

        var (exit, output, errors) = await database.GatehouseAsync(Keys(_new, previous: wrong), "keys", "rotate-kek");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("gatehouse: error: GH4150:", errors);
        Assert.Contains(IdOf(_old), errors);
        Assert.Contains(IdOf(wrong), errors);
        Assert.Contains("Nothing was changed", errors);
        Assert.DoesNotContain(" at ", errors);
        Assert.Equal(before, await SnapshotAsync(database));
    }

    [Fact]
    public async Task RotateKek_WhenOneStoredKeyDoesNotDecrypt_FailsWithItsCode_AndRewrapsNoOtherTableEither()
    {
        using var database = Create(postgres: null);
        await using (var server = await StartAsync(database, Kek(_old)))
        {
            await server.UseAsync();
        }

        await TamperWithTheKeyRingAsync(database);
        var before = await SnapshotAsync(database);

        var (exit, _, errors) = await database.GatehouseAsync(Keys(_new, previous: _old), "keys", "rotate-kek");

        Assert.Equal(1, exit);
        Assert.Contains("gatehouse: error: GH4151:", errors);
        Assert.Contains("does not decrypt", errors);
        // The signing keys come first in the list and would have been re-wrapped: one transaction.
        Assert.Equal(before, await SnapshotAsync(database));
        Assert.Equal([IdOf(_old)], (await KekIdsAsync(database)).Distinct());
    }

    [Fact]
    public async Task RotateKek_WithoutTheOldKek_IsAUsageErrorWithItsCode()
    {
        using var database = Create(postgres: null);

        var (exit, _, errors) = await database.GatehouseAsync(new Dictionary<string, string> { ["GATEHOUSE_KEY_ENCRYPTION_KEY"] = _new }, "keys", "rotate-kek");

        Assert.Equal(2, exit);
        Assert.Contains("GH4152", errors);
        Assert.Contains("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS", errors);
    }

    [Fact]
    public async Task Serve_OnADatabaseWrappedUnderAnotherKek_RefusesToStart_NamingTheKekId_WithoutAStackTrace()
    {
        using var database = Create(postgres: null);
        await using (var server = await StartAsync(database, Kek(_old)))
        {
            await server.UseAsync();
        }

        var (exit, output, errors) = await database.GatehouseAsync(Keys(_new), "serve", "--urls", "http://127.0.0.1:0");

        Assert.True(exit == 2, output + errors);
        // The first key the start unwraps (the audit key, as the store opens) names the KEK it is under.
        Assert.StartsWith("gatehouse: error: GH4150: ", errors);
        Assert.Contains("wrapped under key-encryption key " + IdOf(_old), errors);
        Assert.Contains("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS", errors);
        Assert.DoesNotContain(" at Gatehouse.", output + errors);
        Assert.DoesNotContain("Exception", output + errors);
    }

    private async Task RotateWithTheCliAsync(string? postgres)
    {
        using var database = Create(postgres);
        KekEvidence evidence;
        await using (var server = await StartAsync(database, Kek(_old)))
        {
            evidence = await server.UseAsync();
        }

        var (exit, output, errors) = await database.GatehouseAsync(Keys(_new, previous: _old), "keys", "rotate-kek");

        Assert.True(exit == 0, errors);
        Assert.Matches($@"^Re-wrapped [0-9]+ stored keys under key-encryption key {IdOf(_new)} \(oauth_signing_keys: [1-9][0-9]*, audit_keys: 1, data_protection_keys: [1-9][0-9]*", output);
        Assert.Equal([IdOf(_new)], (await KekIdsAsync(database)).Distinct());
        await using (var server = await StartAsync(database, Kek(_new)))
        {
            await server.AssertStillWorksAsync(evidence);
        }

        // Run again: nothing left to do. A server given only the old KEK now refuses, naming the new one.
        var (again, repeated, _) = await database.GatehouseAsync(Keys(_new, previous: _old), "keys", "rotate-kek");
        Assert.Equal(0, again);
        Assert.StartsWith("Nothing to re-wrap", repeated);
        var refused = await Assert.ThrowsAsync<StoredKeyException>(() => StartAsync(database, Kek(_old)));
        Assert.Equal("GH4150", refused.Code);
        Assert.Contains(IdOf(_new), refused.Message);
    }

    private async Task RotateAtStartAsync(string? postgres)
    {
        using var database = Create(postgres);
        await using var old = await StartAsync(database, Kek(_old));
        var evidence = await old.UseAsync();

        await using (var rotated = await StartAsync(database, Kek(_new), Previous(_old)))
        {
            Assert.Equal([IdOf(_new)], (await KekIdsAsync(database)).Distinct());
            await rotated.AssertStillWorksAsync(evidence);
        }

        await using var next = await StartAsync(database, Kek(_new));
        await next.AssertStillWorksAsync(evidence);
    }

    private static Dictionary<string, string> Keys(string kek, string? previous = null) =>
        previous is null
            ? new() { ["GATEHOUSE_KEY_ENCRYPTION_KEY"] = kek }
            : new() { ["GATEHOUSE_KEY_ENCRYPTION_KEY"] = kek, ["GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS"] = previous };

    /// <summary>The KEK id of every wrapped row of every table the rotation covers.</summary>
    private async Task<List<string>> KekIdsAsync(KekDatabase database)
    {
        var store = await database.OpenStoreAsync(_new, _old);
        await using var _ = (IAsyncDisposable)store;
        var keys = WrappedKeyStoreFactory.For(store);
        var ids = new List<string>();
        foreach (var column in KekWrappedColumns.All)
        {
            ids.AddRange((await keys.CountByKekAsync(column.Column)).Keys);
        }

        var ring = await keys.ListDataProtectionElementsAsync();
        Assert.NotEmpty(ring);
        Assert.NotEmpty(await OAuthStoreFactory.For(store, TimeProvider.System).ListSigningKeysAsync());
        ids.AddRange(ring.Select(xml => KekXmlEncryptor.KekIdOf(System.Xml.Linq.XElement.Parse(xml))!));
        return ids;
    }

    /// <summary>Every stored wrapped value, to compare before and after a refused rotation.</summary>
    private async Task<string> SnapshotAsync(KekDatabase database)
    {
        var store = await database.OpenStoreAsync(_new, _old);
        await using var _ = (IAsyncDisposable)store;
        var signing = await OAuthStoreFactory.For(store, TimeProvider.System).ListSigningKeysAsync();
        var ring = await WrappedKeyStoreFactory.For(store).ListDataProtectionElementsAsync();
        return string.Join("\n", signing.Select(k => $"{k.Kid} {k.KekId} {k.ProtectedPrivateKey}").Concat(ring));
    }

    /// <summary>Changes one character of every wrapped secret in the key ring, as an attacker or a bad restore would.</summary>
    private static async Task TamperWithTheKeyRingAsync(KekDatabase database)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(database.Directory, StorageOptions.SqliteFileName)};Pooling=False");
        await connection.OpenAsync();
        var rows = new List<(string Name, string Xml)>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT name, xml FROM data_protection_keys WHERE kek_id IS NOT NULL";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.NotEmpty(rows);
        foreach (var (name, xml) in rows)
        {
            var root = System.Xml.Linq.XElement.Parse(xml);
            var secret = root.Descendants(KekXmlEncryptor.ElementName).Single();
            secret.Value = (secret.Value[0] == 'A' ? "B" : "A") + secret.Value[1..];
            await using var write = connection.CreateCommand();
            write.CommandText = "UPDATE data_protection_keys SET xml = $xml WHERE name = $name";
            write.Parameters.AddWithValue("$xml", root.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
            write.Parameters.AddWithValue("$name", name);
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }
    }
}
