using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary>
/// Separation of duties by person over real HTTP (issue 9): whoever stands behind a request
/// never decides it, the bootstrap token files and decides nothing, two-owners takes a current
/// owner, and a deploy token never changes who owns its app.
/// </summary>
public sealed class SeparationOfDutiesTests : IAsyncLifetime
{
    private const string NewReason = "Print the customer's name and address on invoices";

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static object Manifests(params string[] contents) => new { manifests = contents.Select(c => new { path = "gatehouse.yaml", content = c }) };

    private static string BillingWithReason(string reason) => TestOrganisation.Billing.Replace("reason: Print the customer's name on invoices", "reason: " + reason);

    /// <summary>The organisation pushed again, changed, with the bootstrap token (which may still do that).</summary>
    private async Task PushOrganisationAsync(string organisation)
    {
        using var bootstrap = _server.Client();
        var response = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = organisation } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> PendingRequest(string consumer, string scope, string env)
    {
        using var reader = _server.Client(_server.AdminToken);
        var json = await TestServer.Json(await reader.GetAsync($"api/v1/requests?consumer={consumer}&env={env}&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == scope)!;
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string code, params string[] detailParts)
    {
        var json = await TestServer.Json(response);
        Assert.True(status == (int)response.StatusCode, json.ToJsonString());
        Assert.Equal(code, json["code"]!.GetValue<string>());
        foreach (var part in detailParts)
        {
            Assert.Contains(part, json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OwnerOfBothApps_PushingThroughTheDeployTokenSheCreated_MayNotApprove()
    {
        // carol owns customers (team people) and now billing too (team payments).
        await PushOrganisationAsync(TestOrganisation.Org.Replace("members: [alice, paul]", "members: [alice, paul, carol]"));
        var carolToken = await _server.TokenForAsync("carol");
        using var ci = _server.Client(await _server.TokenForAsync("billing", kind: "deploy", by: carolToken));
        using var carol = _server.Client(carolToken);
        using var cid = _server.Client(await _server.TokenForAsync("cid"));

        var push = await ci.PostAsJsonAsync("api/v1/push", Manifests(BillingWithReason(NewReason)));
        var request = await PendingRequest("billing", "profile.read", "staging");
        var id = request["id"]!.GetValue<long>();
        var approve = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "fine" });
        var deny = await carol.PostAsJsonAsync($"api/v1/requests/{id}/deny", new { comment = "no" });
        var byAnotherOwner = await cid.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "fine" });

        Assert.Equal(200, (int)push.StatusCode);
        Assert.Equal("app:billing", request["requestedBy"]!.GetValue<string>());
        Assert.Equal("""[{"name":"carol","role":"token-creator"}]""", request["people"]!.ToJsonString());
        await AssertProblem(approve, 403, "GH4126", "carol created the deploy token that filed request");
        await AssertProblem(deny, 403, "GH4126");
        Assert.Equal(200, (int)byAnotherOwner.StatusCode);
    }

    [Fact]
    public async Task AdminWhoPushed_MayNotApproveHerOwnRequest()
    {
        using var root = _server.Client(_server.AdminToken);
        using var rootAgain = _server.Client(await _server.TokenForAsync("root"));

        var push = await root.PostAsJsonAsync("api/v1/push", Manifests(BillingWithReason(NewReason)));
        var id = (await PendingRequest("billing", "profile.read", "staging"))["id"]!.GetValue<long>();
        var approve = await rootAgain.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "mine" });

        Assert.Equal(200, (int)push.StatusCode);
        await AssertProblem(approve, 403, "GH4122", "filed by user:root");
    }

    [Fact]
    public async Task BootstrapToken_PushesAndPlansNoManifests_CastsNoVotes_AndCreatesNoDeployTokens()
    {
        using var bootstrap = _server.Client();
        var id = (await PendingRequest("billing", "profile.read", "staging"))["id"]!.GetValue<long>();

        var push = await bootstrap.PostAsJsonAsync("api/v1/push", Manifests(BillingWithReason(NewReason)));
        var plan = await bootstrap.PostAsJsonAsync("api/v1/plan", Manifests(BillingWithReason(NewReason)));
        var vote = await bootstrap.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "as admin" });
        var deploy = await bootstrap.PostAsJsonAsync("api/v1/tokens", new { kind = "deploy", subject = "billing" });
        var organisation = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org } });

        await AssertProblem(push, 403, "GH4127", "admin's personal token");
        await AssertProblem(plan, 403, "GH4127");
        await AssertProblem(vote, 403, "GH4127", "casts no votes");
        await AssertProblem(deploy, 403, "GH4127", "creates no deploy tokens");
        Assert.Equal(200, (int)organisation.StatusCode);
        Assert.Equal("pending", (await PendingRequest("billing", "profile.read", "staging"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnePerson_ApprovingTwiceThroughTwoPersonalTokens_CountsOnce()
    {
        var id = (await PendingRequest("shop", "profile.write", "staging"))["id"]!.GetValue<long>();
        using var laptop = _server.Client(await _server.TokenForAsync("carol"));
        using var script = _server.Client(await _server.TokenForAsync("carol"));

        var first = await laptop.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "one" });
        var second = await script.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "two" });

        Assert.Equal("pending", (await TestServer.Json(first))["state"]!.GetValue<string>());
        await AssertProblem(second, 409, "GH4124", "carol already approved");
    }

    [Fact]
    public async Task PersonWhoTriggeredTheCiRun_MayNotDecideWhatItFiled()
    {
        using var ci = _server.Client(await _server.TokenForAsync("billing", kind: "deploy", by: await _server.TokenForAsync("alice")));
        using var cid = _server.Client(await _server.TokenForAsync("cid"));
        using var carol = _server.Client(await _server.TokenForAsync("carol"));

        // GitHub logins come in any case; a bot's name is no user name and is ignored, never an error.
        using var push = new HttpRequestMessage(HttpMethod.Post, "api/v1/push") { Content = JsonContent.Create(Manifests(BillingWithReason(NewReason))) };
        push.Headers.Add("X-Gatehouse-Triggered-By", "CID");
        var pushed = await ci.SendAsync(push);
        using var botPush = new HttpRequestMessage(HttpMethod.Post, "api/v1/push") { Content = JsonContent.Create(Manifests(BillingWithReason(NewReason + "."))) };
        botPush.Headers.Add("X-Gatehouse-Triggered-By", "dependabot[bot]");
        var request = await PendingRequest("billing", "profile.read", "production");
        var refused = await cid.PostAsJsonAsync($"api/v1/requests/{request["id"]!.GetValue<long>()}/approve", new { comment = "fine" });
        var byCarol = await carol.PostAsJsonAsync($"api/v1/requests/{request["id"]!.GetValue<long>()}/approve", new { comment = "fine" });
        var botPushed = await ci.SendAsync(botPush);

        Assert.Equal(200, (int)pushed.StatusCode);
        Assert.Equal("""[{"name":"alice","role":"token-creator"},{"name":"cid","role":"trigger"}]""", request["people"]!.ToJsonString());
        await AssertProblem(refused, 403, "GH4126", "cid triggered the CI run");
        Assert.Equal(200, (int)byCarol.StatusCode);
        Assert.Equal(200, (int)botPushed.StatusCode);
        Assert.Equal("""[{"name":"alice","role":"token-creator"}]""", (await PendingRequest("billing", "profile.read", "staging"))["people"]!.ToJsonString());
    }

    [Fact]
    public async Task TwoOwners_IsMetByAnOwnerAndAnAdmin_ButNotByTwoAdmins()
    {
        await PushOrganisationAsync(TestOrganisation.Org.Replace("admins: [root]", "admins: [root, walter, wendy]"));
        var id = (await PendingRequest("shop", "profile.write", "staging"))["id"]!.GetValue<long>();
        using var walter = _server.Client(await _server.TokenForAsync("walter"));
        using var wendy = _server.Client(await _server.TokenForAsync("wendy"));
        using var cid = _server.Client(await _server.TokenForAsync("cid"));

        var byWalter = await walter.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "admin one" });
        var byWendy = await wendy.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "admin two" });
        var byOwner = await cid.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "owner" });

        Assert.Equal("pending", (await TestServer.Json(byWalter))["state"]!.GetValue<string>());
        await AssertProblem(byWendy, 403, "GH4128", "current owner of customers (carol, cid)", "walter approved already");
        var approved = await TestServer.Json(byOwner);
        Assert.Equal("approved", approved["state"]!.GetValue<string>());
        Assert.Equal(["walter", "cid"], approved["votes"]!.AsArray().Select(v => v!["approver"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeployToken_MayNotChangeItsAppsOwners_AndIsToldWhoMay()
    {
        using var ci = _server.Client(await _server.TokenForAsync("billing", kind: "deploy"));
        var takeover = TestOrganisation.Billing.Replace("owners: [team:payments]", "owners: [team:payments, user:mallory]");

        var plan = await ci.PostAsJsonAsync("api/v1/plan", Manifests(takeover));
        var push = await ci.PostAsJsonAsync("api/v1/push", Manifests(takeover));
        var unchanged = await ci.PostAsJsonAsync("api/v1/push", Manifests(BillingWithReason(NewReason)));

        await AssertProblem(plan, 403, "GH4115", "may not change its owners", "current owner (alice, paul) or an admin");
        await AssertProblem(push, 403, "GH4115");
        Assert.Equal(200, (int)unchanged.StatusCode);
        using var reader = _server.Client(_server.AdminToken);
        var app = await TestServer.Json(await reader.GetAsync("api/v1/apps/billing"));
        Assert.DoesNotContain("mallory", app.ToJsonString(), StringComparison.Ordinal);
    }
}
