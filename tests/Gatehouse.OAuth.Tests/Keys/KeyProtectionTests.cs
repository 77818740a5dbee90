using System.Security.Cryptography;
using System.Text;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.OAuth.Tests.Keys;

public sealed class KeyProtectionTests
{
    [Fact]
    public async Task PrivateSigningKey_IsNotInTheDatabaseFileInClear()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(DateTimeOffset.UtcNow);
        var signer = (await fixture.Ring().CurrentAsync(default)).Signer!;
        var record = (await fixture.OAuth.ListSigningKeysAsync()).Single(r => r.Kid == signer.Kid);
        var pkcs8 = new KeyEncryption(fixture.Kek).Unprotect(record.Kid, record.KekId, record.ProtectedPrivateKey);

        var files = Directory.GetFiles(fixture.Directory).Select(File.ReadAllBytes).ToList();

        Assert.NotEmpty(pkcs8);
        Assert.All(files, bytes => Assert.True(bytes.AsSpan().IndexOf(pkcs8.AsSpan(pkcs8.Length - 32)) < 0));
        Assert.DoesNotContain(Convert.ToBase64String(pkcs8), string.Concat(files.Select(Encoding.Latin1.GetString)));
    }

    [Fact]
    public async Task WrongKeyEncryptionKey_StopsTheStart_WithAMessageNamingTheVariable()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(DateTimeOffset.UtcNow);
        await fixture.Ring().CurrentAsync(default);

        var e = await Assert.ThrowsAsync<StoredKeyException>(async () => await fixture.Ring(new byte[32]).CurrentAsync(default));

        Assert.Equal("GH4150", e.Code);
        Assert.Contains($"key-encryption key {KeyEncryption.IdOf(fixture.Kek)}", e.Message);
        Assert.Contains("GATEHOUSE_KEY_ENCRYPTION_KEY", e.Message);
    }

    [Fact]
    public void APreviousKek_StillUnwraps_WhileNewValuesAreWrappedUnderTheCurrentOne()
    {
        var old = RandomNumberGenerator.GetBytes(32);
        var current = RandomNumberGenerator.GetBytes(32);
        var wrapped = new KeyEncryption(old).Protect("kid-1", [1, 2, 3]);
        var both = new KeyEncryption(current, [old]);

        Assert.Equal([1, 2, 3], both.Unprotect("kid-1", KeyEncryption.IdOf(old), wrapped));
        Assert.Equal(KeyEncryption.IdOf(current), both.KekId);
        Assert.Equal([KeyEncryption.IdOf(old)], both.PreviousKekIds);
        Assert.Equal([1, 2, 3], new KeyEncryption(current).Unprotect("kid-1", both.KekId, both.Protect("kid-1", [1, 2, 3])));

        // Moved to another row, or changed: refused with its own code.
        Assert.Equal(KeyProtectionErrors.DoesNotDecrypt, Assert.Throws<StoredKeyException>(() => both.Unprotect("kid-2", KeyEncryption.IdOf(old), wrapped)).Code);
        Assert.Equal(KeyProtectionErrors.DoesNotDecrypt, Assert.Throws<StoredKeyException>(() => both.Unprotect("kid-1", KeyEncryption.IdOf(old), "A" + wrapped[1..])).Code);
        Assert.Equal(KeyProtectionErrors.UnknownKek, Assert.Throws<StoredKeyException>(() => new KeyEncryption(current).Unprotect("kid-1", KeyEncryption.IdOf(old), wrapped)).Code);
    }

    [Fact]
    public void PreviousKeks_AreReadCommaOrLineSeparated_AndBadOnesAreReportedWithoutTheirValue()
    {
        var current = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var old1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var old2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var options = OAuthOptionsLoader.Load(Config(("GATEHOUSE_KEY_ENCRYPTION_KEY", current), ("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS", $"{old1},\n {old2}\n")));
        var bad = Assert.Throws<ConfigurationProblemException>(() => OAuthOptionsLoader.Load(Config(("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS", $"{old1},not-a-key"))));
        var same = Assert.Throws<ConfigurationProblemException>(() => OAuthOptionsLoader.Load(Config(("GATEHOUSE_KEY_ENCRYPTION_KEY", current), ("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS", current))));

        Assert.Equal([old1, old2], options.PreviousKeyEncryptionKeys.Select(Convert.ToBase64String));
        Assert.Contains("GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS: entry 2 of 2 must be 32 random bytes", bad.Message);
        Assert.DoesNotContain("not-a-key", bad.Message);
        Assert.Contains("lists the current GATEHOUSE_KEY_ENCRYPTION_KEY", same.Message);
        Assert.DoesNotContain(current, same.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WithoutAConfiguredKek_SqliteGeneratesOneReadableOnlyByItsOwner()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-kek-test-").FullName;
        try
        {
            var first = KeyEncryption.Resolve(new OAuthOptions(), new GatehouseOptions { DataDirectory = directory });
            var again = KeyEncryption.Resolve(new OAuthOptions(), new GatehouseOptions { DataDirectory = directory });

            Assert.Equal(first.KekId, again.KekId);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, KeyEncryption.GeneratedFileName)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void WithoutAConfiguredKek_PostgresRefusesToStart()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() =>
            KeyEncryption.Resolve(new OAuthOptions(), new GatehouseOptions { DatabaseConnectionString = "Host=db;Database=gatehouse" }));

        Assert.Contains("required with PostgreSQL", e.Message);
    }

    [Fact]
    public void BadSettings_AreAllReportedAtOnce_WithoutEchoingTheKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GATEHOUSE_OAUTH_SIGNING_ALG"] = "HS256",
            ["GATEHOUSE_OAUTH_TOKEN_SECONDS"] = "ten",
            ["GATEHOUSE_KEY_ENCRYPTION_KEY"] = "c2hvcnQtc2VjcmV0",
        }).Build();

        var e = Assert.Throws<ConfigurationProblemException>(() => OAuthOptionsLoader.Load(config));

        Assert.Contains("GATEHOUSE_OAUTH_SIGNING_ALG", e.Message);
        Assert.Contains("GATEHOUSE_OAUTH_TOKEN_SECONDS", e.Message);
        Assert.Contains("GATEHOUSE_KEY_ENCRYPTION_KEY", e.Message);
        Assert.DoesNotContain("c2hvcnQtc2VjcmV0", e.Message);
    }

    private static IConfiguration Config(params (string Name, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value))).Build();
}
