using System.Text;
using Gatehouse.Server.Hosting;
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

        var e = await Assert.ThrowsAsync<ConfigurationProblemException>(async () => await fixture.Ring(new byte[32]).CurrentAsync(default));

        Assert.Contains("GATEHOUSE_KEY_ENCRYPTION_KEY", e.Message);
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
}
