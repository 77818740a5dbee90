using System.Net;
using Gatehouse.Portal.Tests.Infrastructure;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>Every main page, rendered by the real server for a signed-in owner, read as HTML.</summary>
public class PageRenderingTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    // sybil is in team:customer-care, which owns `customers`: she has an inbox and revoke forms.
    private const string Owner = "sybil";

    public static TheoryData<string> MainPages => new()
    {
        "/",
        "/apps",
        "/apps?q=bill&team=payments&env=production",
        "/apps/customers",
        "/apps/customers/scopes/profile.read",
        "/inbox",
        "/inbox?env=production",
        "/requests/1",
        "/audit",
        "/audit?action=request.approved&app=billing&since=2000-01-01",
        "/graph",
        "/graph?env=staging&focus=checkout&depth=2",
        "/signout",
    };

    private async Task<PortalClient> SignedInAsync()
    {
        var client = fixture.Server.Client();
        await client.SignInWithTokenAsync(fixture.Server.TokenOf(Owner));
        return client;
    }

    [Theory]
    [MemberData(nameof(MainPages))]
    public async Task A_signed_in_person_gets_the_page(string path)
    {
        using var client = await SignedInAsync();
        var page = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Single(page.Document.QuerySelectorAll("h1"));
        Assert.Equal("en", page.Document.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(page.Document.QuerySelector("main#main"));
        Assert.Contains(Owner, page.Document.QuerySelector("header .who")!.TextContent);
    }

    [Theory]
    [MemberData(nameof(MainPages))]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_and_back(string path)
    {
        using var client = fixture.Server.Client();
        var page = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/signin?ReturnUrl=" + Uri.EscapeDataString(path.Split('?')[0]), page.Location!.Replace(fixture.Server.Url.ToString().TrimEnd('/'), string.Empty));
    }

    [Theory]
    [MemberData(nameof(MainPages))]
    public async Task Every_form_field_has_a_label(string path)
    {
        using var client = await SignedInAsync();
        var page = await client.GetAsync(path);

        var fields = page.Document.QuerySelectorAll("input, select, textarea")
            .Where(f => f.GetAttribute("type") is not ("hidden" or "submit" or "button"));
        foreach (var field in fields)
        {
            var id = field.GetAttribute("id");
            var labelled = (id is not null && page.Document.QuerySelector($"label[for='{id}']") is { TextContent.Length: > 0 })
                || field.Closest("label") is not null
                || field.HasAttribute("aria-label") || field.HasAttribute("aria-labelledby");
            Assert.True(labelled, $"{path}: {field.OuterHtml} has no label");
        }
    }

    [Theory]
    [MemberData(nameof(MainPages))]
    public async Task Every_form_that_changes_something_carries_an_antiforgery_token(string path)
    {
        using var client = await SignedInAsync();
        var page = await client.GetAsync(path);

        var forms = page.Document.QuerySelectorAll("form").Where(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(forms); // at least the sign-out form in the header
        Assert.All(forms, f => Assert.NotNull(f.QuerySelector("input[type=hidden][name=__RequestVerificationToken]")));
        Assert.All(page.Document.QuerySelectorAll("form").Select(f => f.GetAttribute("method")?.ToLowerInvariant()), m => Assert.Contains(m, new[] { "get", "post" }));
    }

    [Fact]
    public async Task The_owner_gets_decision_and_revoke_forms_on_her_pages()
    {
        using var client = await SignedInAsync();

        var inbox = await client.GetAsync("/inbox");
        Assert.NotEmpty(inbox.Document.QuerySelectorAll("button[name=decision][value=approve]"));
        var scope = await client.GetAsync("/apps/customers/scopes/profile.read");
        Assert.NotEmpty(scope.Document.QuerySelectorAll("form[action*='handler=revoke']"));
    }

    [Fact]
    public async Task Portal_pages_allow_no_script_no_framing_and_no_caching()
    {
        using var client = await SignedInAsync();
        var page = await client.GetAsync("/");

        var csp = string.Join(";", page.Response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("script-src", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("DENY", page.Response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("no-store", page.Response.Headers.CacheControl!.ToString());
        Assert.Empty(page.Document.QuerySelectorAll("script"));
    }

    [Fact]
    public async Task The_stylesheet_is_served_from_the_server_and_cached_by_its_hash()
    {
        using var client = await SignedInAsync();
        var href = (await client.GetAsync("/")).Document.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;

        Assert.StartsWith("/assets/portal.css?v=", href);
        using var css = await client.Http.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString());
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync());
    }
}
