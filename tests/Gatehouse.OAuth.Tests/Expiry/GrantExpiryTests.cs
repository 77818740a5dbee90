using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Expiry;

/// <summary>
/// An answer at time T never honours a grant that ended before T, on any replica, cached or not
/// (docs/adr/0023-grant-lifetime-and-expiry.md): check, decisions, tokens, introspection and the
/// grant list, at the millisecond of the end, on one SQLite server and on two PostgreSQL replicas.
/// </summary>
public sealed class GrantExpiryTests
{
    // reports needs customers:status.read (auto in development) until 2026-06-01: its grant ends at 2026-06-02T00:00Z.
    private static readonly DateTimeOffset End = new(2026, 6, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly string Kek = "--GATEHOUSE_KEY_ENCRYPTION_KEY=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_grant_ends_at_its_end_on_every_path_of_one_server()
    {
        var time = new FakeTimeProvider(End.AddMinutes(-10));
        await using var server = await OAuthTestServer.StartOnClockAsync(time, null);
        await AssertEndsEverywhereAsync(time, server, server);
    }

    [PostgresFact]
    public async Task A_grant_ends_at_its_end_on_every_path_of_two_replicas()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync();
        var time = new FakeTimeProvider(End.AddMinutes(-10));
        await using var a = await OAuthTestServer.StartOnClockAsync(time, database, Kek, "--GATEHOUSE_OAUTH_ISSUER=https://gatehouse.test");
        await using var b = await OAuthTestServer.StartOnClockAsync(time, database, Kek, "--GATEHOUSE_OAUTH_ISSUER=https://gatehouse.test");
        await AssertEndsEverywhereAsync(time, a, b);
    }

    [Fact]
    public async Task Forward_auth_stops_honouring_a_grant_at_its_end_though_no_change_version_moved()
    {
        var time = new FakeTimeProvider(End.AddMinutes(-10));
        await using var server = await OAuthTestServer.StartOnClockAsync(time, null);
        var reports = new AppManifest("gatehouse/v1", "reports", null, [new OwnerRef(OwnerKind.Team, "payments")], [],
            [new NeedDeclaration("customers", ["status.read"], "Count active customers", [Development], new SourceLocation("test", 1, 1)) { Until = new DateOnly(2026, 6, 1) }],
            new SourceLocation("test", 1, 1));
        Assert.True((await server.Store.PushAsync([new ManifestUpload(reports, "reports v1")], new Actor(ActorKind.User, "root"), null)).Succeeded);
        var state = server.Services.GetRequiredService<Gatehouse.Server.Gateway.GatewayState>();

        time.SetUtcNow(End.AddMilliseconds(-1));
        var before = (await state.RefreshNowAsync(CancellationToken.None))!;
        Assert.True(before.IsGranted("reports", "customers", Development, "customers:status.read", End.AddMilliseconds(-1)));
        Assert.Equal(End, before.FirstGrantEnd);
        Assert.False(before.IsGranted("reports", "customers", Development, "customers:status.read", End));

        time.SetUtcNow(End);
        var after = (await state.RefreshNowAsync(CancellationToken.None))!;
        Assert.Equal(before.Version, after.Version);
        Assert.NotSame(before, after);
        Assert.False(after.IsGranted("reports", "customers", Development, "customers:status.read", End));
    }

    private static async Task AssertEndsEverywhereAsync(FakeTimeProvider time, OAuthTestServer a, OAuthTestServer b)
    {
        var reports = new AppManifest("gatehouse/v1", "reports", null, [new OwnerRef(OwnerKind.Team, "payments")], [],
            [new NeedDeclaration("customers", ["status.read"], "Count active customers", [Development], new SourceLocation("test", 1, 1)) { Until = new DateOnly(2026, 6, 1) }],
            new SourceLocation("test", 1, 1));
        var pushed = await a.Store.PushAsync([new ManifestUpload(reports, "reports v1")], new Actor(ActorKind.User, "root"), null);
        Assert.True(pushed.Succeeded, pushed.ErrorMessage);
        Assert.Equal(End, (await ActiveGrantAsync(a.Store, "reports", "customers", "status.read", Development)).ExpiresAt);
        var (reportsId, reportsSecret) = await a.CreateClientAsync("reports", Development);
        var (customersId, customersSecret) = await b.CreateClientAsync("customers", Development);
        var admin = await a.AdminTokenAsync();

        // Ten minutes before the end, a token lasts its configured five minutes; two minutes before, only two.
        Assert.Equal(300, (await TokenClient.TokenAsync(a, (reportsId, reportsSecret!), "audience=customers")).Body["expires_in"]!.GetValue<int>());
        time.SetUtcNow(End.AddMinutes(-2));
        var token = await TokenClient.TokenAsync(b, (reportsId, reportsSecret!), "audience=customers");
        Assert.Equal(120, token.Body["expires_in"]!.GetValue<int>());
        Assert.Equal(End.ToUnixTimeSeconds(), Jwt.Payload(token.AccessToken)["exp"]!.GetValue<long>());

        // A millisecond before the end: honoured everywhere, and every answer is now cached on both servers.
        time.SetUtcNow(End.AddMilliseconds(-1));
        foreach (var server in new[] { a, b })
        {
            var check = await CheckAsync(server, admin);
            Assert.Equal(("granted", End), (check["state"]!.GetValue<string>(), check["expiresAt"]!.GetValue<DateTimeOffset>()));
            Assert.True((await DecideAsync(server))["allow"]!.GetValue<bool>());
            Assert.True((await TokenClient.IntrospectAsync(server, (customersId, customersSecret!), token.AccessToken)).Body["active"]!.GetValue<bool>());
            Assert.Single(await GrantsAsync(server, admin));
        }

        var version = await a.Store.ChangeVersionAsync();

        // At the end, with nothing written anywhere (the change version is the same): ended everywhere.
        time.SetUtcNow(End);
        Assert.Equal(version, await b.Store.ChangeVersionAsync());
        foreach (var server in new[] { a, b })
        {
            var check = await CheckAsync(server, admin);
            Assert.Equal(("expired", End), (check["state"]!.GetValue<string>(), check["expiresAt"]!.GetValue<DateTimeOffset>()));
            var decision = await DecideAsync(server);
            Assert.False(decision["allow"]!.GetValue<bool>());
            Assert.Equal("expired", decision["state"]!.GetValue<string>());
            Assert.Contains("expired at 2026-06-02 00:00 UTC", decision["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("invalid_scope", (await TokenClient.TokenAsync(server, (reportsId, reportsSecret!), "audience=customers&scope=customers:status.read")).Error);
            Assert.False((await TokenClient.IntrospectAsync(server, (customersId, customersSecret!), token.AccessToken)).Body["active"]!.GetValue<bool>());
            Assert.Empty(await GrantsAsync(server, admin));
        }

        var all = Assert.Single(await a.Store.ListGrantsAsync(new GrantQuery(Consumer: "reports", ActiveOnly: false)));
        Assert.Equal(GrantState.Expired, all.State);
    }

    private static async Task<JsonNode> CheckAsync(OAuthTestServer server, string token)
    {
        using var http = server.Client(token);
        var response = await http.PostAsJsonAsync("api/v1/check", new
        {
            environment = Development,
            needs = new[] { new { consumer = "reports", provider = "customers", scope = "status.read" } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]![0]!;
    }

    private static async Task<JsonNode> DecideAsync(OAuthTestServer server)
    {
        using var http = server.Client();
        var response = await http.PostAsJsonAsync("api/v1/decisions", new { app = "reports", scope = "customers:status.read", environment = Development });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<JsonArray> GrantsAsync(OAuthTestServer server, string token)
    {
        using var http = server.Client(token);
        return JsonNode.Parse(await http.GetStringAsync("api/v1/grants?consumer=reports"))!["grants"]!.AsArray();
    }
}
