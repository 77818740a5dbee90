using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary>The grant workflow over real HTTP, including every refusal a user relies on.</summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class ApprovalWorkflowTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> PendingRequestId(string consumer, string scope, string env)
    {
        using var admin = _server.Client();
        var json = await TestServer.Json(await admin.GetAsync($"api/v1/requests?consumer={consumer}&env={env}&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == scope)!["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> Check(string token, string env, params (string Consumer, string Provider, string Scope)[] needs)
    {
        using var client = _server.Client(token);
        var response = await client.PostAsJsonAsync("api/v1/check", new { environment = env, needs = needs.Select(n => new { consumer = n.Consumer, provider = n.Provider, scope = n.Scope }) });
        return await TestServer.Json(response);
    }

    [Fact]
    public async Task Approve_ByOwner_GrantsAccess_AndCheckPasses()
    {
        var id = await PendingRequestId("billing", "profile.read", "staging");
        using var carol = _server.Client(await _server.TokenForAsync("carol"));

        var response = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "ok" });

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("approved", (await TestServer.Json(response))["state"]!.GetValue<string>());
        var check = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));
        Assert.True(check["granted"]!.GetValue<bool>());
        Assert.Equal("granted", check["results"]![0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task CachedCheck_SeesAnApprovalAndThenARevocation_OnTheVeryNextRequest()
    {
        var id = await PendingRequestId("billing", "profile.read", "staging");
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        var hitsBefore = await CacheHits();

        // Asked twice: the second answer comes from memory, at the same change version.
        var pending = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));
        var pendingAgain = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));
        Assert.Equal("pending", pending["results"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("pending", pendingAgain["results"]![0]!["state"]!.GetValue<string>());
        Assert.True(await CacheHits() > hitsBefore, "the repeated check should be answered from the cache");

        var approve = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "ok" });
        var afterApproval = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));

        Assert.Equal(200, (int)approve.StatusCode);
        Assert.Equal("granted", afterApproval["results"]![0]!["state"]!.GetValue<string>());

        using var admin = _server.Client();
        var grants = await TestServer.Json(await admin.GetAsync("api/v1/grants?consumer=billing&env=staging"));
        var grantId = grants["grants"]!.AsArray().Single(g => g!["key"]!["scope"]!.GetValue<string>() == "profile.read")!["id"]!.GetValue<long>();
        var revoke = await carol.PostAsJsonAsync($"api/v1/grants/{grantId}/revoke", new { comment = "incident 43" });
        var afterRevocation = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));

        Assert.Equal(200, (int)revoke.StatusCode);
        Assert.Equal("revoked", afterRevocation["results"]![0]!["state"]!.GetValue<string>());
        Assert.False(afterRevocation["granted"]!.GetValue<bool>());
    }

    private async Task<long> CacheHits()
    {
        using var anonymous = _server.Client(token: null);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        Assert.True(Gatehouse.Testing.PrometheusText.Has(metrics, "gatehouse_decision_cache_hits_total"), "/metrics has no gatehouse_decision_cache_hits_total");
        return (long)Gatehouse.Testing.PrometheusText.Value(metrics, "gatehouse_decision_cache_hits_total");
    }

    [Fact]
    public async Task Approve_ByNonOwner_IsForbidden_AndNothingChanges()
    {
        var id = await PendingRequestId("billing", "profile.read", "production");
        using var alice = _server.Client(await _server.TokenForAsync("alice"));

        var response = await alice.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "mine now" });

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var check = await Check(TestServer.BootstrapToken, "production", ("billing", "customers", "profile.read"));
        Assert.Equal("pending", check["results"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(["carol", "cid"], check["results"]![0]!["approvers"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task TwoOwnersScope_NeedsTwoDistinctOwners()
    {
        var id = await PendingRequestId("shop", "profile.write", "staging");
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        using var cid = _server.Client(await _server.TokenForAsync("cid"));

        var first = await TestServer.Json(await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "one" }));
        var again = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "one more" });
        var second = await TestServer.Json(await cid.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "two" }));

        Assert.Equal("pending", first["state"]!.GetValue<string>());
        Assert.Equal(409, (int)again.StatusCode);
        Assert.Equal("approved", second["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deny_WithoutComment_IsRefused_AndWithComment_Denies()
    {
        var id = await PendingRequestId("billing", "profile.read", "staging");
        using var cid = _server.Client(await _server.TokenForAsync("cid"));

        var bare = await cid.PostAsJsonAsync($"api/v1/requests/{id}/deny", new { comment = " " });
        var denied = await cid.PostAsJsonAsync($"api/v1/requests/{id}/deny", new { comment = "use the public profile API" });

        Assert.Equal(422, (int)bare.StatusCode);
        Assert.Equal(200, (int)denied.StatusCode);
        var check = await Check(TestServer.BootstrapToken, "staging", ("billing", "customers", "profile.read"));
        Assert.False(check["granted"]!.GetValue<bool>());
        Assert.Equal("denied", check["results"]![0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DevelopmentPolicy_GrantsAtOnce_AndUnrequestedAccessIsReported()
    {
        var check = await Check(TestServer.BootstrapToken, "development", ("billing", "customers", "profile.read"), ("billing", "customers", "profile.write"));

        Assert.False(check["granted"]!.GetValue<bool>());
        Assert.Equal("granted", check["results"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("not-requested", check["results"]![1]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeployToken_MayCheckAndPushOnlyItsOwnApp()
    {
        var billing = await _server.TokenForAsync("billing", kind: "deploy");
        using var client = _server.Client(billing);

        var own = await client.PostAsJsonAsync("api/v1/check", new { environment = "staging", needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } });
        var foreign = await client.PostAsJsonAsync("api/v1/check", new { environment = "staging", needs = new[] { new { consumer = "shop", provider = "customers", scope = "profile.write" } } });
        var push = await client.PostAsJsonAsync("api/v1/push", new { manifests = new[] { new { path = "shop/gatehouse.yaml", content = TestOrganisation.Shop } } });

        Assert.Equal(200, (int)own.StatusCode);
        Assert.Equal(403, (int)foreign.StatusCode);
        Assert.Equal(403, (int)push.StatusCode);
    }

    [Fact]
    public async Task Revoke_ByOwner_RemovesAccess_AndAuditChainVerifies()
    {
        using var admin = _server.Client();
        var grants = await TestServer.Json(await admin.GetAsync("api/v1/grants?consumer=billing&env=development"));
        var grantId = grants["grants"]![0]!["id"]!.GetValue<long>();
        using var carol = _server.Client(await _server.TokenForAsync("carol"));

        var revoked = await carol.PostAsJsonAsync($"api/v1/grants/{grantId}/revoke", new { comment = "incident 42" });

        Assert.Equal(200, (int)revoked.StatusCode);
        var check = await Check(TestServer.BootstrapToken, "development", ("billing", "customers", "profile.read"));
        Assert.Equal("revoked", check["results"]![0]!["state"]!.GetValue<string>());
        var verify = await TestServer.Json(await admin.GetAsync("api/v1/audit/verify"));
        Assert.True(verify["valid"]!.GetValue<bool>());
        var audit = await TestServer.Json(await admin.GetAsync("api/v1/audit?action=grant.revoked"));
        Assert.Contains(audit["events"]!.AsArray(), e => e!["actor"]!.GetValue<string>() == "user:carol" && e["comment"]!.GetValue<string>() == "incident 42");
    }

    [Fact]
    public async Task PushingTheSameFilesTwice_ChangesNothing()
    {
        using var admin = _server.Client(_server.AdminToken);
        var before = (await TestServer.Json(await admin.GetAsync("api/v1/audit?limit=1000")))["events"]!.AsArray().Count;
        var body = new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) };

        var plan = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/plan", body));
        var push = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/push", body));

        Assert.Empty(plan["changes"]!.AsArray());
        Assert.Empty(push["changes"]!.AsArray());
        var after = (await TestServer.Json(await admin.GetAsync("api/v1/audit?limit=1000")))["events"]!.AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Push_WithInvalidManifest_Returns422WithDiagnostics_AndWritesNothing()
    {
        using var admin = _server.Client(_server.AdminToken);
        var broken = TestOrganisation.Billing.Replace("reason: Print the customer's name on invoices", "reasn: typo");

        var response = await admin.PostAsJsonAsync("api/v1/push", new { manifests = new[] { new { path = "billing/gatehouse.yaml", content = broken } } });
        var json = await TestServer.Json(response);

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("GH4040", json["code"]!.GetValue<string>());
        var diagnostic = json["diagnostics"]!.AsArray().First(d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal("billing/gatehouse.yaml", diagnostic["file"]!.GetValue<string>());
        Assert.True(diagnostic["line"]!.GetValue<int>() > 0);
        var app = await TestServer.Json(await admin.GetAsync("api/v1/apps/billing"));
        Assert.Equal(TestOrganisation.Billing, app["source"]!.GetValue<string>());
    }
}
