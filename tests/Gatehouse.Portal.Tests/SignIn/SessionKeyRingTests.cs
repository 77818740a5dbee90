using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Demo;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>
/// Portal cookies and anti-forgery tokens are protected by ASP.NET Core Data Protection, whose
/// key ring lives in the Gatehouse database wrapped under the key-encryption key: any instance
/// on the same database reads them, also after a restart, and the database holds no clear key.
/// </summary>
public sealed class SessionKeyRingTests
{
    private readonly string _kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public Task A_session_and_a_form_from_one_instance_are_accepted_by_another_on_the_same_sqlite_file_and_after_a_restart() =>
        SharedAcrossInstancesAsync(postgres: null);

    [PostgresFact]
    public async Task A_session_and_a_form_from_one_instance_are_accepted_by_another_on_the_same_postgres_database_and_after_a_restart() =>
        await SharedAcrossInstancesAsync(await PostgresFactAttribute.CreateDatabaseAsync());

    [Fact]
    public async Task The_stored_key_ring_holds_no_clear_key_only_keys_wrapped_under_the_key_encryption_key()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-portal-ring-").FullName;
        try
        {
            await using (var instance = await Instance.StartAsync(directory, null, _kek))
            {
                var users = await DemoSeeder.SeedAsync(instance.Store, TimeProvider.System, CancellationToken.None);
                using var client = new PortalClient(instance.Url);
                await client.SignInWithTokenAsync(users[0].Token);
            }

            var kek = new KeyEncryption(Convert.FromBase64String(_kek));
            var rows = await KeyRingRowsAsync(Path.Combine(directory, StorageOptions.SqliteFileName));
            var files = string.Concat(Directory.GetFiles(directory, StorageOptions.SqliteFileName + "*").Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));

            Assert.NotEmpty(rows);
            foreach (var (xml, kekId) in rows)
            {
                Assert.Equal(kek.KekId, kekId);
                Assert.Contains("<kekWrappedSecret", xml);
                Assert.Contains($"kekId=\"{kek.KekId}\"", xml);
                Assert.DoesNotContain("masterKey", xml);
                var secret = KekXmlEncryptor.Unwrap(XElement.Parse(xml).Descendants(KekXmlEncryptor.ElementName).Single(), kek);
                var masterKey = secret.Descendants("value").Single().Value;
                Assert.True(Convert.FromBase64String(masterKey).Length >= 32);
                Assert.DoesNotContain(masterKey, files);
                Assert.DoesNotContain(Encoding.Latin1.GetString(Convert.FromBase64String(masterKey)), files);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task SharedAcrossInstancesAsync(string? postgres)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-portal-ring-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("gatehouse-portal-ring-").FullName;
        try
        {
            using var browser = new PortalClient(new Uri("http://127.0.0.1"));
            await using (var first = await Instance.StartAsync(directory, postgres, _kek))
            await using (var second = await Instance.StartAsync(directory, postgres, _kek))
            {
                var users = await DemoSeeder.SeedAsync(first.Store, TimeProvider.System, CancellationToken.None);

                // The sign-in form comes from the first instance and is posted to the second:
                // its anti-forgery token is read there. Cookies belong to the host, not the port.
                var signedIn = await browser.PostAsync(
                    second.At("/signin?handler=token"), new Dictionary<string, string> { ["token"] = users[0].Token, ["returnUrl"] = "/" }, tokenFrom: first.At("/signin"));

                Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(first.At("/inbox"))).Status);
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(second.At("/inbox"))).Status);
            }

            await using (var restarted = await Instance.StartAsync(directory, postgres, _kek))
            {
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(restarted.At("/inbox"))).Status);
            }

            // The ring belongs to the database, not to the key-encryption key alone.
            await using var stranger = await Instance.StartAsync(elsewhere, null, _kek);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(stranger.At("/inbox"))).Status);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static async Task<List<(string Xml, string? KekId)>> KeyRingRowsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml, kek_id FROM data_protection_keys";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>A server on loopback over a database that outlives it; disposing stops it and keeps the data.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Instance(WebApplication app, IGatehouseStore store, Uri url)
        {
            _app = app;
            Store = store;
            Url = url;
        }

        public IGatehouseStore Store { get; }

        public Uri Url { get; }

        public string At(string path) => new Uri(Url, path).ToString();

        public static async Task<Instance> StartAsync(string directory, string? postgres, string kek)
        {
            var (_, store) = await LoopbackGatehouse.CreateStoreAsync("unused", postgres, directory, kek);
            var options = new GatehouseOptions { DataDirectory = directory, DatabaseConnectionString = postgres, BootstrapToken = PortalServer.BootstrapToken };
            var (app, url) = await LoopbackGatehouse.StartOverAsync(options, store, $"--GATEHOUSE_KEY_ENCRYPTION_KEY={kek}");
            return new Instance(app, store, url);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            await ((IAsyncDisposable)Store).DisposeAsync();
        }
    }
}
