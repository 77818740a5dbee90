using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Server.Tests.Usage;

namespace Gatehouse.Server.Tests.Reports;

/// <summary>
/// The auditor's exports over HTTP (ADR 0030): the rows, the formats, the audit head and its
/// verification, and who is refused.
/// </summary>
public sealed class ReportTests : IAsyncLifetime
{
    // A reason a spreadsheet would run as a formula, with a comma, quotes and a line break.
    private const string HostileReason = "=HYPERLINK(\"http://evil.example\", \"ok\"), then\nmore";

    private static readonly string Billing = TestOrganisation.Billing.Replace(
        "reason: Print the customer's name on invoices", "reason: \"=HYPERLINK(\\\"http://evil.example\\\", \\\"ok\\\"), then\\nmore\"", StringComparison.Ordinal);

    // audrey is in the organisation but owns no app.
    private static readonly string Org = TestOrganisation.Org + "\n  - name: audit\n    members: [audrey]\n";

    private TestServer _server = null!;
    private readonly Dictionary<string, string> _tokens = [];

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        using var bootstrap = _server.Client();
        Assert.True((await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Org } })).IsSuccessStatusCode);
        foreach (var user in new[] { "root", "carol", "sam", "audrey" })
        {
            _tokens[user] = await _server.TokenForAsync(user);
        }

        using var root = _server.Client(_tokens["root"]);
        var manifests = new[] { ("customers/gatehouse.yaml", TestOrganisation.Customers), ("billing/gatehouse.yaml", Billing), ("shop/gatehouse.yaml", TestOrganisation.Shop) };
        var pushed = await root.PostAsJsonAsync("api/v1/push", new { manifests = manifests.Select(m => new { path = m.Item1, content = m.Item2 }) });
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        _tokens["shop-ci"] = await _server.TokenForAsync("shop", "deploy", by: _tokens["root"]);

        // carol (team people) approves billing's production access to customers.
        var pending = await TestServer.Json(await root.GetAsync("api/v1/requests?state=pending&env=production"));
        var id = pending["requests"]!.AsArray().Single(r => r!["key"]!["consumer"]!.GetValue<string>() == "billing")!["id"]!.GetValue<long>();
        using var carol = _server.Client(_tokens["carol"]);
        Assert.True((await carol.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "ok" })).IsSuccessStatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string caller, string path)
    {
        using var client = _server.Client(caller == "bootstrap" ? TestServer.BootstrapToken : _tokens[caller]);
        return await client.GetAsync(path);
    }

    [Fact]
    public async Task The_access_report_has_one_row_per_grant_with_the_request_the_approvers_the_last_use_and_the_head()
    {
        using var root = _server.Client(_tokens["root"]);
        Assert.True((await TestServer.Json(await root.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "production" })))["allow"]!.GetValue<bool>());
        await UsageEvidenceTests.FlushAsync(_server.Services);

        var response = await GetAsync("root", "api/v1/reports/access?env=production");
        var report = await TestServer.Json(response);

        Assert.Equal(200, (int)response.StatusCode);
        var row = report["rows"]!.AsArray().Single(r => r!["consumer"]!.GetValue<string>() == "billing")!;
        Assert.Equal(("customers", "profile.read", "production"), (row["provider"]!.GetValue<string>(), row["scope"]!.GetValue<string>(), row["environment"]!.GetValue<string>()));
        Assert.Equal(HostileReason, row["reason"]!.GetValue<string>());
        Assert.Equal("root", row["requestedBy"]!.GetValue<string>());
        Assert.Equal("carol", row["approvedBy"]!.GetValue<string>());
        Assert.NotNull(row["lastUsed"]);
        Assert.False(row["unused"]!.GetValue<bool>());
        Assert.Equal("none", row["reviewStatus"]!.GetValue<string>());
        Assert.Equal("all apps", report["covers"]!.GetValue<string>());

        var head = report["auditHead"]!.GetValue<string>();
        Assert.Equal(head, response.Headers.GetValues("Gatehouse-Audit-Head").Single());
        var newest = (await TestServer.Json(await root.GetAsync("api/v1/audit?order=newest&limit=1")))["events"]![0]!;
        Assert.Equal($"{newest["seq"]}:{newest["hash"]}", head);
        var verified = await TestServer.Json(await root.GetAsync($"api/v1/reports/verify?head={head}"));
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task The_csv_report_is_rfc_4180_and_a_cell_a_spreadsheet_would_run_is_neutralised()
    {
        var response = await GetAsync("root", "api/v1/reports/access?env=production&format=csv");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment; filename=\"gatehouse-access-production-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var records = Rfc4180.Parse(text);
        Assert.Equal(["grant", "consumer", "provider", "scope", "environment", "reason", "requested_by", "approved_by", "approved_at", "expires", "last_used", "unused", "review_status", "audit_head"], records[0]);
        Assert.All(records, r => Assert.Equal(14, r.Count));
        var billing = records.Single(r => r[1] == "billing");
        Assert.Equal("'" + HostileReason, billing[5]); // the quote, comma and line break survive; the formula does not run
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\", \"\"ok\"\"), then\nmore\"", text, StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues("Gatehouse-Audit-Head").Single(), billing[13]);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_markdown_report_states_its_head_and_a_reason_cannot_break_the_table()
    {
        var response = await GetAsync("root", "api/v1/reports/access?env=production&format=markdown");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"- Audit head: `{response.Headers.GetValues("Gatehouse-Audit-Head").Single()}`", text, StringComparison.Ordinal);
        var billing = text.Split('\n').Single(l => l.Contains("| billing |", StringComparison.Ordinal));
        Assert.Contains("=HYPERLINK(\"http://evil.example\", \"ok\"), then more", billing, StringComparison.Ordinal); // the line break is a space
        Assert.Equal(14, billing.Count(c => c == '|')); // 13 cells: no cell spilled into another
    }

    [Fact]
    public async Task An_owner_sees_only_the_grants_of_her_apps_and_says_so()
    {
        var report = await TestServer.Json(await GetAsync("sam", "api/v1/reports/access?env=development"));

        Assert.Equal("apps owned by sam: shop", report["covers"]!.GetValue<string>());
        Assert.NotEmpty(report["rows"]!.AsArray());
        Assert.All(report["rows"]!.AsArray(), r => Assert.Equal("shop", r!["consumer"]!.GetValue<string>())); // not billing's grant of customers
    }

    [Theory]
    [InlineData("audrey", "api/v1/reports/access?env=production")]
    [InlineData("audrey", "api/v1/reports/history?since=2020-01-01")]
    [InlineData("shop-ci", "api/v1/reports/access?env=production")]
    public async Task A_person_who_owns_no_app_and_a_deploy_token_are_refused(string caller, string path)
    {
        var response = await GetAsync(caller, path);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("GH4201", (await TestServer.Json(response))["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v1/reports/access", 400, "GH4200")]
    [InlineData("api/v1/reports/access?env=production&format=xlsx", 400, "GH4202")]
    [InlineData("api/v1/reports/access?env=prod", 404, "GH4207")]
    [InlineData("api/v1/reports/history", 400, "GH4204")]
    [InlineData("api/v1/reports/history?since=2030-01-01&until=2020-01-01", 400, "GH4204")]
    [InlineData("api/v1/reports/verify?head=12", 400, "GH4205")]
    public async Task Bad_report_requests_get_their_code(string path, int status, string code)
    {
        var response = await GetAsync("root", path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await TestServer.Json(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_head_the_log_does_not_hold_does_not_verify()
    {
        var head = (await TestServer.Json(await GetAsync("root", "api/v1/reports/access?env=production")))["auditHead"]!.GetValue<string>();
        var seq = head[..head.IndexOf(':', StringComparison.Ordinal)];

        var forged = await TestServer.Json(await GetAsync("root", $"api/v1/reports/verify?head={seq}:{new string('a', 64)}"));
        var beyond = await TestServer.Json(await GetAsync("root", $"api/v1/reports/verify?head={long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture) + 100}:{head[(seq.Length + 1)..]}"));

        Assert.False(forged["valid"]!.GetValue<bool>());
        Assert.Equal("GH4206", forged["code"]!.GetValue<string>());
        Assert.False(beyond["valid"]!.GetValue<bool>());
        Assert.Contains("fewer than", beyond["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_report_lists_the_changes_of_the_period_an_owner_only_those_of_her_apps()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var all = await TestServer.Json(await GetAsync("root", $"api/v1/reports/history?since={today}"));
        var sams = await TestServer.Json(await GetAsync("sam", $"api/v1/reports/history?since={today}"));
        var csv = await (await GetAsync("root", $"api/v1/reports/history?since={today}&format=csv")).Content.ReadAsStringAsync();

        var actions = all["rows"]!.AsArray().Select(r => r!["action"]!.GetValue<string>()).ToList();
        Assert.True(actions.Contains("grant.created"), string.Join(" ", actions));
        Assert.Contains("request.approved", actions);
        Assert.NotEmpty(sams["rows"]!.AsArray());
        Assert.All(sams["rows"]!.AsArray(), r => Assert.True(r!["app"]?.GetValue<string>() == "shop" || r["provider"]?.GetValue<string>() == "shop", r.ToJsonString()));
        Assert.Equal(all["rows"]!.AsArray().Count + 1, Rfc4180.Parse(csv).Count);
    }

    [Fact]
    public async Task The_access_report_says_how_each_grant_fared_in_the_newest_review_that_held_it()
    {
        using var root = _server.Client(_tokens["root"]);
        using var carol = _server.Client(_tokens["carol"]);
        var opened = await TestServer.Json(await root.PostAsJsonAsync("api/v1/reviews", new { environment = "production" }));
        var id = opened["id"]!.GetValue<long>();
        var before = await TestServer.Json(await GetAsync("root", "api/v1/reports/access?env=production"));
        var grant = before["rows"]!.AsArray().Single(r => r!["consumer"]!.GetValue<string>() == "billing")!;
        Assert.Equal($"waiting in review {id}", grant["reviewStatus"]!.GetValue<string>());

        var kept = await carol.PostAsJsonAsync($"api/v1/reviews/{id}/grants/{grant["grant"]!.GetValue<long>()}", new { decision = "keep", comment = "invoices" });
        var after = await TestServer.Json(await GetAsync("root", "api/v1/reports/access?env=production"));

        Assert.True(kept.IsSuccessStatusCode, await kept.Content.ReadAsStringAsync());
        Assert.Equal($"kept in review {id} by carol", after["rows"]!.AsArray().Single(r => r!["consumer"]!.GetValue<string>() == "billing")!["reviewStatus"]!.GetValue<string>());
    }
}
