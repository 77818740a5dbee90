using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// The hot paths (ADR 0034) answer check, decisions and me without the general pipeline, so they
/// must refuse exactly what it refuses and report exactly what it reports.
/// </summary>
public sealed class HotPathTests
{
    private static readonly object CheckBody = new { environment = "staging", needs = new[] { new { consumer = "billing", provider = "customers", scope = "profile.read" } } };
    private static readonly object DecisionBody = new { app = "billing", scope = "customers:profile.read", environment = "development" };

    [Fact]
    public async Task A_deploy_token_is_served_until_it_is_revoked_and_then_refused_at_once_on_every_hot_path()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        var secret = await server.TokenForAsync("billing", "deploy");
        using var deploy = server.Client(secret);

        Assert.Equal(200, (int)(await deploy.PostAsJsonAsync("api/v1/check", CheckBody)).StatusCode);
        Assert.True((await TestServer.Json(await deploy.PostAsJsonAsync("api/v1/decisions", DecisionBody)))["allow"]!.GetValue<bool>());
        Assert.Equal("app:billing", (await TestServer.Json(await deploy.GetAsync("api/v1/me")))["actor"]!.GetValue<string>());

        using var admin = server.Client(server.AdminToken);
        var tokens = await TestServer.Json(await admin.GetAsync("api/v1/tokens"));
        var id = tokens["tokens"]!.AsArray().Single(t => t!["subject"]?["name"]?.GetValue<string>() == "billing" || t!["subject"]?.ToString().Contains("billing", StringComparison.Ordinal) == true)!["id"]!.GetValue<string>();
        Assert.Equal(200, (int)(await admin.PostAsync($"api/v1/tokens/{id}/revoke", null)).StatusCode);

        foreach (var response in new[]
        {
            await deploy.PostAsJsonAsync("api/v1/check", CheckBody),
            await deploy.PostAsJsonAsync("api/v1/decisions", DecisionBody),
            await deploy.GetAsync("api/v1/me"),
        })
        {
            await AssertRefusedAsync(response);
        }
    }

    [Fact]
    public async Task Me_says_what_the_organisation_file_says_now_after_a_push_that_changes_it()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var alice = server.Client(await server.TokenForAsync("alice"));

        // Twice: the second answer is the one kept for alice's principal.
        for (var i = 0; i < 2; i++)
        {
            var me = await TestServer.Json(await alice.GetAsync("api/v1/me"));
            Assert.Equal(["payments"], me["teams"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.False(me["isAdmin"]!.GetValue<bool>());
        }

        // Alice becomes an admin and moves to the shop team; the same token, the same connection.
        using var bootstrap = server.Client();
        var org = TestOrganisation.Org.Replace("admins: [root]", "admins: [root, alice]", StringComparison.Ordinal)
            .Replace("members: [alice, paul]", "members: [paul]", StringComparison.Ordinal).Replace("members: [sam]", "members: [sam, alice]", StringComparison.Ordinal);
        var pushed = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = org } });
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());

        var after = await TestServer.Json(await alice.GetAsync("api/v1/me"));
        Assert.Equal(["shop"], after["teams"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(after["isAdmin"]!.GetValue<bool>());
        Assert.Equal("user:alice", after["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_malformed_and_missing_secrets_get_the_pipelines_401_and_the_bootstrap_token_is_served()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var anonymous = server.Client(token: null);
        var failuresBefore = Failures(await PrometheusText.ScrapeAsync(anonymous));

        using var unknown = server.Client("ghp_not-a-token-of-this-server");
        await AssertRefusedAsync(await unknown.PostAsJsonAsync("api/v1/check", CheckBody));
        using var tooLong = server.Client(new string('x', 600));
        await AssertRefusedAsync(await tooLong.PostAsJsonAsync("api/v1/decisions", DecisionBody));
        await AssertRefusedAsync(await anonymous.GetAsync("api/v1/me"));
        using var basic = server.Client(token: null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "YWxpY2U6c2VjcmV0");
        await AssertRefusedAsync(await basic.PostAsJsonAsync("api/v1/check", CheckBody));

        using var bootstrap = server.Client();
        Assert.Equal("bootstrap", (await TestServer.Json(await bootstrap.GetAsync("api/v1/me")))["kind"]!.ToString().ToLowerInvariant());
        Assert.True(Failures(await PrometheusText.ScrapeAsync(anonymous)) - failuresBefore >= 2, "refused secrets on the hot paths are counted like any other");
    }

    private static double Failures(string metrics) =>
        PrometheusText.Has(metrics, "gatehouse_authentication_failures_total", ("kind", "bearer"))
            ? PrometheusText.Value(metrics, "gatehouse_authentication_failures_total", ("kind", "bearer"))
            : 0;

    [Fact]
    public async Task Healthz_answers_plain_ok_and_a_hot_check_is_in_the_request_metrics_under_its_route()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var anonymous = server.Client(token: null);

        var healthz = await anonymous.GetAsync("healthz");
        Assert.Equal(200, (int)healthz.StatusCode);
        Assert.Equal("ok", await healthz.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", healthz.Content.Headers.ContentType!.MediaType);

        using var admin = server.Client(server.AdminToken);
        Assert.Equal(200, (int)(await admin.PostAsJsonAsync("api/v1/check", CheckBody)).StatusCode);
        var metrics = await PrometheusText.ScrapeAsync(anonymous);
        Assert.True(PrometheusText.Value(metrics, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/check")) >= 1);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("GH4001", (await TestServer.Json(response))["code"]!.GetValue<string>());
    }
}
