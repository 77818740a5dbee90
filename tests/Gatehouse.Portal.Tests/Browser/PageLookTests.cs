using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Browser;

/// <summary>Every main page in Chromium on a laptop and a phone, with screenshots, and keyboard use.</summary>
public class PageLookTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // erin (team:commerce) owns several apps and has an inbox: every page has something on it.
    private const string User = "erin";

    private static readonly (string Name, string Path, string Heading)[] MainPages =
    [
        ("dashboard", "/", "Hello, erin"),
        ("apps", "/apps?env=production", "Apps"),
        ("app", "/apps/checkout", "checkout"),
        ("scope", "/apps/orders/scopes/orders.read", "orders:orders.read"),
        ("inbox", "/inbox", "Inbox"),
        ("request", "/requests/1", "Request #1"),
        ("audit", "/audit", "Audit log"),
        ("graph", "/graph?env=staging", "Access graph in staging"),
        ("graph-focus", "/graph?env=production&focus=checkout", "Access graph in production"),
    ];

    [BrowserFact]
    public async Task Main_pages_render_on_a_laptop_and_on_a_phone_without_sideways_scrolling()
    {
        foreach (var (device, width, height) in new[] { ("laptop", 1280, 900), ("phone", 390, 844) })
        {
            var page = await fixture.SignedInPageAsync(User, width, height);
            foreach (var (name, path, heading) in MainPages)
            {
                var response = await page.GotoAsync(path);
                Assert.Equal(200, response!.Status);
                Assert.StartsWith(heading, await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
                var fits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");
                Assert.True(fits, $"{path} scrolls sideways on a {width}px {device}");
                await Screenshots.SaveAsync(page, $"{name}-{device}");
            }

            await page.Context.CloseAsync();
        }

        var anonymous = await fixture.Browser.NewPageAsync(new() { BaseURL = fixture.Server.Url.ToString() });
        anonymous.SetDefaultTimeout(120_000);
        await anonymous.GotoAsync("/signin");
        await Screenshots.SaveAsync(anonymous, "signin-laptop");
        await anonymous.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task A_keyboard_user_skips_to_the_content_and_sees_where_the_focus_is()
    {
        var page = await fixture.SignedInPageAsync(User);
        await page.GotoAsync("/inbox");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Onwards from the content, the next stops are the filter fields, then the first request's links.
        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string[]>(
            "() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }");
        Assert.Equal("SELECT", focused[0]);
        Assert.NotEqual("none", focused[1]);
        Assert.NotEqual("0px", focused[2]);
        await page.Context.CloseAsync();
    }
}
