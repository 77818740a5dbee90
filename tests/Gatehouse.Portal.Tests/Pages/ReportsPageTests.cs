using Gatehouse.Portal.Tests.Infrastructure;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The portal's report downloads (ADR 0030) and the last use of grants on a scope's page (ADR 0024).</summary>
public class ReportsPageTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    [Fact]
    public async Task An_admin_downloads_the_access_report_as_csv_stating_its_audit_head()
    {
        using var client = fixture.Server.Client();
        await client.SignInWithTokenAsync(fixture.Server.TokenOf("alice"));

        var page = await client.GetAsync("/reports");
        var link = page.Document.QuerySelectorAll("a[download]").Select(a => a.GetAttribute("href")!).First(h => h.Contains("env=development", StringComparison.Ordinal) && h.Contains("format=csv", StringComparison.Ordinal));
        using var download = await client.Http.GetAsync(link);
        var csv = await download.Content.ReadAsStringAsync();
        Assert.True(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1, csv); // development has grants in examples/acme

        Assert.Equal("text/csv", download.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("grant,consumer,provider,scope,environment,reason,requested_by,approved_by,approved_at,expires,last_used,unused,review_status,audit_head\r\n", csv, StringComparison.Ordinal);
        var head = download.Headers.GetValues("Gatehouse-Audit-Head").Single();
        Assert.Matches("^[0-9]+:[0-9a-f]{64}$", head);
        Assert.All(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), row => Assert.EndsWith("," + head, row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scope_page_says_when_each_active_grant_was_last_used()
    {
        using var client = fixture.Server.Client();
        await client.SignInWithTokenAsync(fixture.Server.TokenOf("carol"));

        var page = await client.GetAsync("/apps/customers/scopes/profile.read");

        Assert.Contains("never used", page.Text, StringComparison.Ordinal);
    }
}
