using Gatehouse.Portal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Browser;

/// <summary>A seeded server and one headless Chromium for a test class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PortalServer Server { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("no browser: the test should have been skipped");

    public async Task InitializeAsync()
    {
        Server = await PortalServer.StartAsync();
        if (File.Exists(BrowserFactAttribute.Chromium) || Environment.GetEnvironmentVariable("CI") == "true")
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ChromiumArgs });
        }
    }

    /// <summary>A fresh browser profile (its own cookies) signed in through the sign-in form.</summary>
    public async Task<IPage> SignedInPageAsync(string user, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Server.Url.ToString(), ViewportSize = new() { Width = width, Height = height } });
        // Generous: CI machines and this one are shared; a slow page is not what these tests judge.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        Assert.EndsWith("/signin?ReturnUrl=%2F", page.Url);
        await page.GetByLabel("Personal token").FillAsync(Server.TokenOf(user));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Wait for the redirect to commit, not for the load event: the load can fire before this
        // wait starts, and Playwright then waited the whole timeout (a CI flake, 2026-11-22).
        // Later locators wait for their elements anyway.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { WaitUntil = WaitUntilState.Commit });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}
