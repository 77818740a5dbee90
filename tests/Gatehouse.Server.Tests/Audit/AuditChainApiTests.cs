using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Audit;

/// <summary>The audit log, its verification and its checkpoints over HTTP, on the real database file.</summary>
public sealed class AuditChainApiTests
{
    [Fact]
    public async Task Moving_an_event_out_of_an_apps_history_in_the_database_file_fails_verify_naming_it()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await SeedAsync(server);
        var revoked = await RevokeDevelopmentGrantAsync(server);

        await AuditTampering.ExecuteAsync(server.DataDirectory, $"UPDATE audit_events SET app = NULL, provider_app = NULL WHERE seq = {revoked}");
        var history = await TestServer.Json(await admin.GetAsync("api/v1/audit?app=customers&limit=1000"));
        var verify = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));

        Assert.DoesNotContain(history["events"]!.AsArray(), e => e!["seq"]!.GetValue<long>() == revoked);
        Assert.False(verify["valid"]!.GetValue<bool>());
        Assert.Equal(revoked, verify["firstBrokenSeq"]!.GetValue<long>());
        Assert.Contains($"event {revoked} was changed", verify["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_checkpoint_holds_while_the_log_grows_and_names_the_event_edited_before_it_even_after_a_rechain_with_the_key()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await SeedAsync(server);
        var head = await admin.GetAsync("api/v1/audit/head");
        var checkpoint = await TestServer.Json(head);
        await RevokeDevelopmentGrantAsync(server);

        var grown = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/audit/verify", checkpoint));
        await AuditTampering.ExecuteAsync(server.DataDirectory, "UPDATE audit_events SET actor = 'user:sam' WHERE seq = 3");
        await AuditTampering.RechainWithTheAuditKeyAsync(server.DataDirectory);
        var plain = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));
        var anchored = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/audit/verify", checkpoint));

        Assert.Equal(200, (int)head.StatusCode);
        Assert.Equal(("gatehouse-audit-checkpoint", 1), (checkpoint["type"]!.GetValue<string>(), checkpoint["version"]!.GetValue<int>()));
        Assert.Matches("^[0-9a-f]{64}$", checkpoint["hash"]!.GetValue<string>());
        Assert.Equal(checkpoint["seq"]!.GetValue<long>(), checkpoint["marks"]!.AsArray().Count);
        Assert.True(grown["valid"]!.GetValue<bool>(), grown.ToJsonString());
        Assert.True(plain["valid"]!.GetValue<bool>(), "the key holder's re-chain passes the keyed check: only the checkpoint catches it");
        Assert.False(anchored["valid"]!.GetValue<bool>());
        Assert.Equal(3, anchored["firstBrokenSeq"]!.GetValue<long>());
        Assert.StartsWith("event 3 differs from the checkpoint of", anchored["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_checkpoint_that_is_not_one_or_was_edited_is_refused_with_its_code()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await SeedAsync(server);
        var checkpoint = await TestServer.Json(await admin.GetAsync("api/v1/audit/head"));
        var edited = checkpoint.DeepClone();
        edited["at"] = "2020-01-01T00:00:00.000Z";
        var incomplete = checkpoint.DeepClone().AsObject();
        incomplete.Remove("hash");
        incomplete["stride"] = 0;

        var notJson = await admin.PostAsync("api/v1/audit/verify", new StringContent("{\"seq\": 4,", System.Text.Encoding.UTF8, "application/json"));
        var notACheckpoint = await admin.PostAsJsonAsync("api/v1/audit/verify", incomplete);
        var forged = await admin.PostAsJsonAsync("api/v1/audit/verify", edited);

        await AssertProblemAsync(notJson, 400, "GH4140", "not JSON");
        await AssertProblemAsync(notACheckpoint, 400, "GH4140", "`hash` must be 64 lower-case hex digits", "`stride` must be a whole number of 1 or more");
        await AssertProblemAsync(forged, 422, "GH4142", "signature does not verify");
    }

    [Fact]
    public async Task No_checkpoint_is_made_for_a_broken_chain()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await SeedAsync(server);
        await AuditTampering.ExecuteAsync(server.DataDirectory, "UPDATE audit_events SET comment = 'hidden' WHERE seq = 2");

        var head = await admin.GetAsync("api/v1/audit/head");

        await AssertProblemAsync(head, 409, "GH4143", "event 2");
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_within_since_and_until()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await SeedAsync(server);
        var all = (await TestServer.Json(await admin.GetAsync("api/v1/audit?limit=1000")))["events"]!.AsArray();
        var total = all.Count;

        var newest = (await TestServer.Json(await admin.GetAsync("api/v1/audit?order=newest&limit=2")))["events"]!.AsArray();
        var older = (await TestServer.Json(await admin.GetAsync($"api/v1/audit?order=newest&limit=2&before={total - 1}")))["events"]!.AsArray();
        var future = (await TestServer.Json(await admin.GetAsync($"api/v1/audit?since={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-dd}")))["events"]!.AsArray();
        var past = (await TestServer.Json(await admin.GetAsync("api/v1/audit?until=2020-01-01")))["events"]!.AsArray();
        var today = (await TestServer.Json(await admin.GetAsync($"api/v1/audit?since={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm}Z&limit=1000")))["events"]!.AsArray();

        Assert.Equal([total, total - 1], newest.Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal([total - 2, total - 3], older.Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Empty(future);
        Assert.Empty(past);
        Assert.Equal(total, today.Count);
        Assert.Equal("customers", all.First(e => e!["action"]!.GetValue<string>() == "request.filed")!["providerApp"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_audit_query_names_each_bad_parameter()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Client();

        var response = await admin.GetAsync("api/v1/audit?since=yesterday&until=2026-13-01&order=sideways&limit=0&before=x");

        await AssertProblemAsync(response, 400, "GH4144", "`since` must be a date or date-time such as 2026-11-01", "not `yesterday`", "`until`", "`order` must be `oldest` or `newest`", "`limit`", "`before`");
    }

    [Fact]
    public async Task A_database_written_by_Gatehouse_0_1_serves_with_its_chain_rechained_and_verified()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-v1-upgrade-").FullName;
        var fixture = RepositoryPaths.Combine("tests", "Gatehouse.Storage.Tests", "Fixtures", "v1-audit");
        File.Copy(Path.Combine(fixture, "gatehouse.db"), Path.Combine(directory, "gatehouse.db"));
        File.Copy(Path.Combine(fixture, "key-encryption.key"), Path.Combine(directory, "key-encryption.key"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(directory, "key-encryption.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var server = await TestServer.StartAsync(dataDirectory: directory);
        using var admin = server.Client();
        var verify = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));
        var newest = (await TestServer.Json(await admin.GetAsync("api/v1/audit?order=newest&limit=1")))["events"]![0]!;
        var jwks = await admin.GetAsync("/oauth2/jwks");

        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.Equal(13, verify["eventCount"]!.GetValue<long>());
        Assert.Equal("audit.rechained", newest["action"]!.GetValue<string>());
        Assert.Equal(200, (int)jwks.StatusCode);
    }

    [PostgresFact]
    public async Task On_PostgreSQL_two_replicas_share_one_keyed_chain_and_either_verifies_the_others_checkpoint()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync("gh_audit");
        await using var first = await TestServer.StartAsync(postgres: database);
        await using var second = await TestServer.StartAsync(postgres: database);
        using var admin = await SeedAsync(first);
        using var other = second.Client();

        var checkpoint = await TestServer.Json(await admin.GetAsync("api/v1/audit/head"));
        await RevokeDevelopmentGrantAsync(second);
        var verified = await TestServer.Json(await other.PostAsJsonAsync("api/v1/audit/verify", checkpoint));

        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.True(verified["eventCount"]!.GetValue<long>() > checkpoint["seq"]!.GetValue<long>());
    }

    /// <summary>The organisation by the bootstrap token, the manifests by root's personal token (an admin); returns root's client.</summary>
    private static async Task<HttpClient> SeedAsync(TestServer server)
    {
        using (var bootstrap = server.Client())
        {
            var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org } });
            Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        }

        var admin = server.Client(await server.TokenForAsync("root"));
        var manifests = await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
        Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());
        return admin;
    }

    /// <summary>carol (an owner of customers) revokes billing's development grant; returns the seq of the grant.revoked event.</summary>
    private static async Task<long> RevokeDevelopmentGrantAsync(TestServer server)
    {
        using var carol = server.Client(await server.TokenForAsync("carol"));
        var grants = await TestServer.Json(await carol.GetAsync("api/v1/grants?provider=customers&scope=profile.read&consumer=billing&env=development"));
        var id = grants["grants"]![0]!["id"]!.GetValue<long>();
        var revoked = await carol.PostAsJsonAsync($"api/v1/grants/{id}/revoke", new { comment = "no longer needed" });
        Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        var events = await TestServer.Json(await carol.GetAsync("api/v1/audit?action=grant.revoked&order=newest&limit=1"));
        return events["events"]![0]!["seq"]!.GetValue<long>();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code, params string[] parts)
    {
        var body = await TestServer.Json(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body["code"]!.GetValue<string>());
        foreach (var part in parts)
        {
            Assert.Contains(part, body["detail"]!.GetValue<string>());
        }
    }
}
