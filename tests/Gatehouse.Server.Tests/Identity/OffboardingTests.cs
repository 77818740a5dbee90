using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Identity;

/// <summary>Removing a person from the organisation file ends her power on the next request (ADR 0011).</summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class OffboardingTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await PushAsync(TestServer.BootstrapToken, TestOrganisation.Org);
        _root = await _server.TokenForAsync("root");
        using var root = _server.Client(_root);
        var manifests = await root.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
        Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonNode> PushAsync(string token, string organisation)
    {
        using var client = _server.Client(token);
        var response = await client.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = organisation } });
        var json = await TestServer.Json(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }

    private static string WithoutCarol => TestOrganisation.Org.Replace("members: [carol, cid]", "members: [cid]", StringComparison.Ordinal);

    private async Task<long> CacheHitsAsync()
    {
        using var anonymous = _server.Client(token: null);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        Assert.True(Gatehouse.Testing.PrometheusText.Has(metrics, "gatehouse_decision_cache_hits_total"), "/metrics has no gatehouse_decision_cache_hits_total");
        return (long)Gatehouse.Testing.PrometheusText.Value(metrics, "gatehouse_decision_cache_hits_total");
    }

    private async Task<long> PendingRequestIdAsync()
    {
        using var root = _server.Client(_root);
        var json = await TestServer.Json(await root.GetAsync("api/v1/requests?consumer=billing&env=production&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == "profile.read")!["id"]!.GetValue<long>();
    }

    [Fact]
    public async Task A_removed_users_token_gets_401_at_once_though_its_lookup_was_cached()
    {
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        Assert.Equal(200, (int)(await carol.GetAsync("api/v1/me")).StatusCode);
        var hits = await CacheHitsAsync();
        Assert.Equal(200, (int)(await carol.GetAsync("api/v1/me")).StatusCode);
        Assert.True(await CacheHitsAsync() > hits, "the second lookup of carol's token should come from the cache");

        await PushAsync(_root, WithoutCarol);

        using var me = await carol.GetAsync("api/v1/me");
        Assert.Equal(401, (int)me.StatusCode);
        Assert.Equal("GH4001", (await TestServer.Json(me))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_removed_owner_can_no_longer_approve_push_create_clients_or_mint_deploy_tokens()
    {
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        var id = await PendingRequestIdAsync();
        Assert.Equal(201, (int)(await carol.PostAsJsonAsync("api/v1/clients", new { app = "customers", environment = "staging" })).StatusCode);

        await PushAsync(_root, WithoutCarol);

        var attempts = new Dictionary<string, HttpResponseMessage>
        {
            ["approve"] = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "still mine" }),
            ["push"] = await carol.PostAsJsonAsync("api/v1/push", new { manifests = new[] { new { path = "customers/gatehouse.yaml", content = TestOrganisation.Customers.Replace("Customer profiles", "Mine now", StringComparison.Ordinal) } } }),
            ["create client"] = await carol.PostAsJsonAsync("api/v1/clients", new { app = "customers", environment = "production" }),
            ["deploy token"] = await carol.PostAsJsonAsync("api/v1/tokens", new { kind = "deploy", subject = "customers", expiresInDays = 3650 }),
            ["token list"] = await carol.GetAsync("api/v1/tokens"),
        };

        Assert.All(attempts, a => Assert.True((int)a.Value.StatusCode == 401, $"{a.Key}: {(int)a.Value.StatusCode}"));
        using var root = _server.Client(_root);
        var request = await TestServer.Json(await root.GetAsync($"api/v1/requests/{id}"));
        Assert.Equal("pending", request["state"]!.GetValue<string>());
        var app = await TestServer.Json(await root.GetAsync("api/v1/apps/customers"));
        Assert.Equal(["cid"], app["ownerUsers"]!.AsArray().Select(u => u!.GetValue<string>()));
        var clients = await TestServer.Json(await root.GetAsync("api/v1/clients?app=customers"));
        Assert.Single(clients["clients"]!.AsArray());
    }

    [Fact]
    public async Task The_push_that_removes_a_user_reports_her_revoked_tokens_and_the_credentials_she_created()
    {
        var carolSecret = await _server.TokenForAsync("carol");
        using var carol = _server.Client(carolSecret);
        var deploy = await TestServer.Json(await carol.PostAsJsonAsync("api/v1/tokens", new { kind = "deploy", subject = "customers", description = "ci" }));
        var client = await TestServer.Json(await carol.PostAsJsonAsync("api/v1/clients", new { app = "customers", environment = "production" }));
        var carolTokenId = (await TestServer.Json(await carol.GetAsync("api/v1/tokens")))["tokens"]!.AsArray()
            .Single(t => t!["subject"]!["kind"]!.GetValue<string>() == "personal")!["id"]!.GetValue<string>();

        var pushed = await PushAsync(_root, WithoutCarol);

        Assert.Contains("removed 1 user(s), revoked 1 personal token(s)", pushed["organisation"]!.GetValue<string>(), StringComparison.Ordinal);
        var report = pushed["offboarding"]!;
        Assert.Equal(["carol"], report["removedUsers"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal([carolTokenId], report["revokedTokens"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var listedDeploy = Assert.Single(report["deployTokens"]!.AsArray())!;
        Assert.Equal((deploy["id"]!.GetValue<string>(), "user:carol", true),
            (listedDeploy["id"]!.GetValue<string>(), listedDeploy["createdBy"]!.GetValue<string>(), listedDeploy["creatorRemoved"]!.GetValue<bool>()));
        Assert.Equal(client["client"]!["id"]!.GetValue<string>(), Assert.Single(report["clients"]!.AsArray())!["id"]!.GetValue<string>());

        // The deploy token belongs to customers and keeps its CI working; the token list marks it for an admin.
        using var ci = _server.Client(deploy["secret"]!.GetValue<string>());
        Assert.Equal(200, (int)(await ci.GetAsync("api/v1/me")).StatusCode);
        using var root = _server.Client(_root);
        var tokens = (await TestServer.Json(await root.GetAsync("api/v1/tokens")))["tokens"]!.AsArray();
        Assert.True(tokens.Single(t => t!["id"]!.GetValue<string>() == deploy["id"]!.GetValue<string>())!["creatorRemoved"]!.GetValue<bool>());
        Assert.NotNull(tokens.Single(t => t!["id"]!.GetValue<string>() == carolTokenId)!["revokedAt"]);
    }

    [Fact]
    public async Task A_plan_of_the_organisation_file_names_who_it_would_remove()
    {
        using var root = _server.Client(_root);
        var response = await root.PostAsJsonAsync("api/v1/plan", new { organisation = new { path = "gatehouse.org.yaml", content = WithoutCarol } });

        var plan = await TestServer.Json(response);
        Assert.Equal("would be updated; removes carol (their personal tokens would be revoked)", plan["organisation"]!.GetValue<string>());
        Assert.Null(plan["offboarding"]);
    }
}
