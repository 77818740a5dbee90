using System.Net;
using Gatehouse.Portal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>What the read-only pages show: the catalogue's filters, the graph, the audit log and its chain.</summary>
public class AuditGraphAndCatalogueTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    private async Task<PortalClient> SignedInAsync()
    {
        var client = fixture.Server.Client();
        await client.SignInWithTokenAsync(fixture.Server.TokenOf("carol"));
        return client;
    }

    private static List<string> AppNames(PortalClient.Page page) =>
        [.. page.Document.QuerySelectorAll("tbody th[scope=row] a").Select(a => a.TextContent)];

    [Fact]
    public async Task The_catalogue_lists_every_app_and_narrows_by_search_and_team()
    {
        using var client = await SignedInAsync();

        var all = AppNames(await client.GetAsync("/apps"));
        Assert.Equal((await fixture.Server.Store.ListAppsAsync()).Select(a => a.Name).Order(StringComparer.Ordinal), all);
        Assert.Equal(["billing"], AppNames(await client.GetAsync("/apps?q=invoice")));
        var payments = AppNames(await client.GetAsync("/apps?team=payments"));
        Assert.Contains("billing", payments);
        Assert.DoesNotContain("cart", payments);
    }

    [Fact]
    public async Task The_catalogue_filtered_by_environment_counts_granted_and_waiting_access()
    {
        using var client = await SignedInAsync();

        var page = await client.GetAsync("/apps?env=production&q=billing");

        var headers = page.Document.QuerySelectorAll("thead th").Select(h => h.TextContent).ToList();
        Assert.Contains("Waiting in production", headers);
        var cells = page.Document.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "billing").QuerySelectorAll("td");
        var waiting = (await fixture.Server.Store.ListRequestsAsync(new Storage.RequestQuery(Consumer: "billing", Environment: "production", State: Core.Access.RequestState.Pending))).Count;
        Assert.Equal(waiting.ToString(), cells[^1].TextContent.Trim());
    }

    [Fact]
    public async Task The_app_page_shows_owners_needs_per_environment_and_the_pushed_manifest()
    {
        using var client = await SignedInAsync();
        var details = (await fixture.Server.Store.GetAppAsync("billing"))!;

        var page = await client.GetAsync("/apps/billing");

        Assert.Contains(string.Join(", ", details.OwnerUsers), page.Text);
        Assert.Equal(details.SourceText, page.Document.QuerySelector("pre.source code")!.TextContent);
        var needRows = page.Document.QuerySelectorAll("section[aria-labelledby=needs] tbody tr");
        Assert.Equal(details.Manifest.Needs.Sum(n => n.Scopes.Count), needRows.Length);
        Assert.All(needRows, r => Assert.NotNull(r.QuerySelector(".badge")));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/apps/no-such-app")).Status);
    }

    [Fact]
    public async Task The_scope_page_lists_consumers_per_environment_with_each_grants_history()
    {
        using var client = await SignedInAsync();

        var page = await client.GetAsync("/apps/customers/scopes/profile.read");

        var development = page.Document.QuerySelector("section[aria-labelledby=env-development]")!;
        Assert.NotEmpty(development.QuerySelectorAll("tbody tr"));
        Assert.Contains("Requested by", development.QuerySelector("details ol.timeline")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/apps/customers/scopes/no.such")).Status);
    }

    [Fact]
    public async Task The_graph_draws_a_box_per_app_and_focus_keeps_the_app_and_its_neighbours()
    {
        using var client = await SignedInAsync();

        var whole = await client.GetAsync("/graph?env=development");
        var boxes = whole.Document.QuerySelectorAll("svg a.node").Select(a => a.QuerySelector("title")!.TextContent).ToList();
        Assert.Contains("checkout", boxes);
        Assert.NotEmpty(whole.Document.QuerySelectorAll("svg path.edge"));

        var focused = await client.GetAsync("/graph?env=development&focus=checkout");
        Assert.Equal("checkout", focused.Document.QuerySelector("svg a.node.focus title")!.TextContent);
        var edges = focused.Document.QuerySelectorAll("details tbody tr").Select(r => r.QuerySelectorAll("a").Select(a => a.TextContent).ToList()).ToList();
        Assert.NotEmpty(edges);
        Assert.All(edges, e => Assert.Contains("checkout", e));
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_and_app_and_says_the_chain_verifies()
    {
        using var client = await SignedInAsync();

        var page = await client.GetAsync("/audit?action=request.denied");

        Assert.Contains("Chain verified", page.Document.QuerySelector("[role=status]")!.TextContent);
        var actions = page.Document.QuerySelectorAll("tbody tr td:nth-child(4)").Select(td => td.TextContent.Trim()).ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal("request.denied", a));
        var billing = await client.GetAsync("/audit?app=billing");
        var rows = billing.Document.QuerySelectorAll("tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains("billing", row.QuerySelector("td:nth-child(5)")!.TextContent));
    }

    [Fact]
    public async Task The_audit_log_opens_on_its_latest_events_oldest_first_with_a_way_back()
    {
        using var client = await SignedInAsync();
        var count = (await fixture.Server.Store.VerifyAuditAsync()).EventCount;

        var page = await client.GetAsync("/audit");

        var seqs = page.Document.QuerySelectorAll("tbody tr td:first-child").Select(td => long.Parse(td.TextContent)).ToList();
        Assert.Equal(count, seqs[^1]);
        Assert.Equal(seqs.Order(), seqs);
        var earlier = page.Document.QuerySelector("a[rel=prev]")!.GetAttribute("href")!;
        var before = await client.GetAsync(earlier);
        Assert.Equal(seqs[0] - 1, long.Parse(before.Document.QuerySelectorAll("tbody tr td:first-child")[^1].TextContent));
    }

    [Fact]
    public async Task An_edited_audit_event_shows_as_a_broken_chain_when_verified_again()
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();
        await client.SignInWithTokenAsync(server.TokenOf("carol"));
        Assert.Contains("Chain verified", (await client.GetAsync("/audit")).Document.QuerySelector("[role=status]")!.TextContent);

        using (var db = new SqliteConnection($"Data Source={server.DatabaseFile};Pooling=False"))
        {
            db.Open();
            using var edit = db.CreateCommand();
            edit.CommandText = "UPDATE audit_events SET comment = 'nothing to see' WHERE seq = 5";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        // The page shows its last verification (with its time) until asked to verify again.
        var page = await client.GetAsync("/audit?verify=true");

        var alert = page.Document.QuerySelector("[role=alert]")!.TextContent;
        Assert.Contains("Chain broken", alert);
        Assert.Contains("event 5", alert);
    }
}
