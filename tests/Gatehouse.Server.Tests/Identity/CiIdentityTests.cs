using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Identity;

/// <summary>
/// Keyless CI identity (issue 11, ADR 0021) over real HTTP against a real OpenID Connect issuer
/// on loopback: run tokens in GitHub's and GitLab's claim shapes push, plan and check for the
/// app their rule maps them to; the run's trigger may not decide what it files; everything else
/// is refused with its GH418x code.
/// </summary>
public sealed class CiIdentityTests : IAsyncLifetime
{
    private const string Audience = "https://gatehouse.testco.example";
    private const string NewReason = "Print the customer's name and address on invoices";

    private TestServer _server = null!;
    private TestCiIssuer _issuer = null!;

    /// <summary>The same issuer as GitLab's: another spelling of the loopback host, with its JWKS named (no discovery).</summary>
    private string GitLabIssuer => _issuer.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        _issuer = await TestCiIssuer.StartAsync();
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
        var org = TestOrganisation.Org + $"""

            ciIssuers:
              - name: github
                issuer: {_issuer.Issuer}
                audience: {Audience}
                rules:
                  - name: billing-main
                    app: billing
                    repository: testco/billing
                    branch: main
                  - name: shop-releases
                    app: shop
                    repository: testco/shop
                    branch: release/*
                    environment: production
              - name: gitlab
                issuer: {GitLabIssuer}
                audience: {Audience}
                jwksUri: {_issuer.Issuer}/jwks
                rules:
                  - name: billing
                    app: billing
                    repository: testco/billing
                    ref: refs/heads/main
            """;
        using var bootstrap = _server.Client();
        var response = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = org } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private static object BillingWithNewReason() => new
    {
        manifests = new[] { new { path = "billing/gatehouse.yaml", content = TestOrganisation.Billing.Replace("reason: Print the customer's name on invoices", "reason: " + NewReason) } },
    };

    private static object CheckBilling => new { environment = "staging", needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } };

    private string GitHubToken(string repository = "testco/billing", string @ref = "refs/heads/main", string actor = "Paul") =>
        _issuer.Token(TestCiIssuer.GitHubClaims(repository, @ref, actor), Audience);

    private async Task<JsonNode> PendingBillingRequest()
    {
        using var admin = _server.Client(_server.AdminToken);
        var json = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=staging&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == "profile.read")!;
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string code, params string[] detailParts)
    {
        var json = await TestServer.Json(response);
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode} {json.ToJsonString()}");
        Assert.Equal(code, json["code"]!.GetValue<string>());
        foreach (var part in detailParts)
        {
            Assert.Contains(part, json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GitHubRunOnTheAllowedBranch_PushesForItsApp_AndItsActorMayNotDecide()
    {
        // carol owns customers (team people), the provider of what billing asks for.
        using var ci = _server.Client(GitHubToken(actor: "Carol"));
        var plan = await ci.PostAsJsonAsync("api/v1/plan", BillingWithNewReason());
        var push = await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason());
        var check = await ci.PostAsJsonAsync("api/v1/check", CheckBilling);
        var request = await PendingBillingRequest();
        using var carol = _server.Client(await _server.TokenForAsync("carol"));
        using var cid = _server.Client(await _server.TokenForAsync("cid"));
        var id = request["id"]!.GetValue<long>();
        var byTrigger = await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "mine" });
        var byAnotherOwner = await cid.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "fine" });
        using var admin = _server.Client(_server.AdminToken);
        var audit = await TestServer.Json(await admin.GetAsync("api/v1/audit?action=request.filed&app=billing"));

        Assert.Equal(200, (int)plan.StatusCode);
        Assert.Equal(200, (int)push.StatusCode);
        Assert.Equal(200, (int)check.StatusCode);
        Assert.Equal("app:billing", request["requestedBy"]!.GetValue<string>());
        Assert.Equal("""[{"name":"carol","role":"trigger"}]""", request["people"]!.ToJsonString());
        await AssertProblem(byTrigger, 403, "GH4126");
        Assert.Equal(200, (int)byAnotherOwner.StatusCode);
        Assert.Contains("github/billing-main", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitLabRun_WithTheJwksGiven_PushesForItsApp_AndRecordsItsUserLogin()
    {
        var token = _issuer.Token(TestCiIssuer.GitLabClaims("testco/billing", "main", "alice"), Audience, key: _issuer.Ec, issuer: GitLabIssuer);
        using var ci = _server.Client(token);

        var push = await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason());
        var request = await PendingBillingRequest();

        Assert.Equal(200, (int)push.StatusCode);
        Assert.Equal("""[{"name":"alice","role":"trigger"}]""", request["people"]!.ToJsonString());
    }

    [Fact]
    public async Task EnvironmentAndBranchPattern_AdmitOnlyTheRunsTheRuleNames()
    {
        var shopCheck = new { environment = "production", needs = new[] { new { consumer = "shop", provider = "billing", scope = "invoices.read" } } };
        using var release = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/shop", "refs/heads/release/2.1", "sam", environment: "production"), Audience));
        using var noEnvironment = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/shop", "refs/heads/release/2.1", "sam"), Audience));

        Assert.Equal(200, (int)(await release.PostAsJsonAsync("api/v1/check", shopCheck)).StatusCode);
        await AssertProblem(await noEnvironment.PostAsJsonAsync("api/v1/check", shopCheck), 403, "GH4182", "shop-releases", "environment is absent");
    }

    [Fact]
    public async Task RepositoryNotMapped_IsRefused_NamingTheClosestRule()
    {
        using var ci = _server.Client(GitHubToken(repository: "testco/unknown"));

        var push = await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason());

        await AssertProblem(push, 403, "GH4182", "No rule of CI issuer `github` admits this run", "repository is `testco/unknown`");
    }

    [Fact]
    public async Task BranchNotAllowed_IsRefused_NamingTheRuleThatWouldMatchAndTheBranch()
    {
        using var ci = _server.Client(GitHubToken(@ref: "refs/heads/feature/x"));

        var push = await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason());

        await AssertProblem(push, 403, "GH4182", "rule `billing-main`", "branch is `feature/x`, the rule wants `main`");
    }

    [Fact]
    public async Task WrongIssuer_IsRefused()
    {
        using var ci = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul"), Audience, issuer: "https://token.actions.githubusercontent.com"));

        await AssertProblem(await ci.PostAsJsonAsync("api/v1/check", CheckBilling), 401, "GH4180", "https://token.actions.githubusercontent.com", "ciIssuers");
    }

    [Fact]
    public async Task WrongAudience_IsRefused()
    {
        using var ci = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul"), "https://another.example"));

        await AssertProblem(await ci.PostAsJsonAsync("api/v1/check", CheckBilling), 401, "GH4181", "audience", Audience);
    }

    [Fact]
    public async Task ExpiredAndNotYetValidTokens_AreRefused()
    {
        var claims = TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul");
        using var expired = _server.Client(_issuer.Token(claims, Audience, expiresIn: TimeSpan.FromMinutes(-5)));
        using var early = _server.Client(_issuer.Token(claims, Audience, expiresIn: TimeSpan.FromMinutes(30), notBefore: DateTime.UtcNow.AddMinutes(10)));
        using var withinSkew = _server.Client(_issuer.Token(claims, Audience, expiresIn: TimeSpan.FromSeconds(-20)));

        await AssertProblem(await expired.PostAsJsonAsync("api/v1/check", CheckBilling), 401, "GH4181", "expired");
        await AssertProblem(await early.PostAsJsonAsync("api/v1/check", CheckBilling), 401, "GH4181", "not valid yet");
        Assert.Equal(200, (int)(await withinSkew.PostAsJsonAsync("api/v1/check", CheckBilling)).StatusCode);
    }

    [Fact]
    public async Task ForgedSignature_WithThePublishedKid_IsRefused()
    {
        var forger = TestCiIssuer.NewRsa("rsa-1");
        using var ci = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul"), Audience, key: forger));

        await AssertProblem(await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason()), 401, "GH4181", "signature does not verify");
    }

    [Fact]
    public async Task UnknownKid_RereadsTheJwksOnce_SoARotatedKeyWorks_AndAnUnpublishedOneDoesNot()
    {
        using var before = _server.Client(GitHubToken());
        Assert.Equal(200, (int)(await before.PostAsJsonAsync("api/v1/check", CheckBilling)).StatusCode);
        var reads = _issuer.JwksReads;

        var rotated = _issuer.RotateRsa("rsa-2");
        using var after = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul"), Audience, key: rotated));
        var afterRotation = await after.PostAsJsonAsync("api/v1/check", CheckBilling);
        var readsAfterRotation = _issuer.JwksReads;
        using var unknown = _server.Client(_issuer.Token(TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul"), Audience, key: TestCiIssuer.NewRsa("rsa-unpublished")));
        var unpublished = await unknown.PostAsJsonAsync("api/v1/check", CheckBilling);

        Assert.Equal(200, (int)afterRotation.StatusCode);
        Assert.Equal(reads + 1, readsAfterRotation);
        await AssertProblem(unpublished, 401, "GH4181", "rsa-unpublished", "is not in the JWKS");
        Assert.Equal(readsAfterRotation, _issuer.JwksReads); // at most one re-read per 30 seconds
    }

    [Fact]
    public async Task AlgNoneAndHs256_AreRefused()
    {
        var claims = TestCiIssuer.GitHubClaims("testco/billing", "refs/heads/main", "paul");
        using var none = _server.Client(_issuer.Unsigned(claims, Audience));
        var hmacKey = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]) { KeyId = "rsa-1" };
        using var hs256 = _server.Client(_issuer.Token(claims, Audience, key: hmacKey));

        await AssertProblem(await none.PostAsJsonAsync("api/v1/push", BillingWithNewReason()), 401, "GH4181", "`none` is not accepted");
        await AssertProblem(await hs256.PostAsJsonAsync("api/v1/push", BillingWithNewReason()), 401, "GH4181", "`HS256` is not accepted");
    }

    [Fact]
    public async Task ValidRunToken_OnAnEndpointOtherThanPushPlanCheck_IsRefused()
    {
        using var ci = _server.Client(GitHubToken());

        await AssertProblem(await ci.GetAsync("api/v1/requests"), 403, "GH4183", "push, plan and check");
    }

    [Fact]
    public async Task TriggeredByHeader_CannotReplaceTheSignedActor()
    {
        using var ci = _server.Client(GitHubToken(actor: "paul"));
        ci.DefaultRequestHeaders.Add("X-Gatehouse-Triggered-By", "alice");

        Assert.Equal(200, (int)(await ci.PostAsJsonAsync("api/v1/push", BillingWithNewReason())).StatusCode);
        Assert.Equal("""[{"name":"paul","role":"trigger"}]""", (await PendingBillingRequest())["people"]!.ToJsonString());
    }
}
