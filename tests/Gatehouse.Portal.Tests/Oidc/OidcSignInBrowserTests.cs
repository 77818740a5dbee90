using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Portal.Tests.Browser;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Demo;
using Gatehouse.Server.Portal;
using Gatehouse.Storage;
using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Oidc;

/// <summary>
/// Portal sign-in at a real OpenID provider (npm oidc-provider on loopback) in a real Chromium:
/// the provider says who the person is, the organisation file says whether she is a user (ADR 0017).
/// </summary>
public class OidcSignInBrowserTests(OidcBrowserFixture fixture) : IClassFixture<OidcBrowserFixture>
{
    [OidcBrowserFact]
    public async Task Signing_in_at_the_provider_lands_on_the_dashboard_as_the_mapped_user_who_approves_a_request()
    {
        var (request, owners) = await fixture.Server.PendingRequestAsync((r, o) => r.RequiredApproval == ApprovalMode.Owner && !o.Contains(OidcBrowserFixture.Removed));
        var owner = owners[0];

        var page = await fixture.SignInAtProviderAsync(owner, "/inbox");

        Assert.Equal("/inbox", new Uri(page.Url).AbsolutePath);
        Assert.Contains(owner, await page.Locator("header .who").TextContentAsync());
        await page.GotoAsync($"/requests/{request.Id}");
        await page.GetByLabel("Comment").FillAsync("Approved after signing in with Acme SSO");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Approve #{request.Id}" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/requests/{request.Id}", new() { WaitUntil = WaitUntilState.Commit });
        var decided = (await fixture.Server.Store.GetRequestAsync(request.Id))!;
        Assert.Equal(RequestState.Approved, decided.State);
        Assert.Equal(owner, Assert.Single(decided.Votes).Approver);

        // The session cookie is the portal's own; the provider's tokens are not kept in it.
        var cookies = await page.Context.CookiesAsync([fixture.Server.Url.ToString()]);
        Assert.Contains(cookies, c => c.Name == "gatehouse.session" && c.HttpOnly);
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith(".AspNetCore.Correlation", StringComparison.Ordinal) || c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [OidcBrowserTheory]
    [InlineData("wrong-audience")]
    [InlineData("wrong-nonce")]
    public async Task An_id_token_for_another_client_or_with_another_nonce_is_refused_and_opens_no_session(string misbehaviour)
    {
        // alice is an admin: were the token accepted, she would be signed in.
        var page = await fixture.SignInAtProviderAsync($"alice+{misbehaviour}", expectSession: false);

        Assert.Equal("/signin/refused", new Uri(page.Url).AbsolutePath);
        Assert.Contains(PortalErrors.IdentityProviderRefused, await page.GetByRole(AriaRole.Alert).TextContentAsync());
        var home = await page.GotoAsync("/");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        Assert.Equal(0, await page.Locator("header .who").CountAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync([fixture.Server.Url.ToString()]), c => c.Name == "gatehouse.session");
        Assert.NotNull(home);
        await page.Context.CloseAsync();
    }

    [OidcBrowserFact]
    public async Task An_identity_that_is_no_user_is_told_so_and_whom_to_ask()
    {
        var page = await fixture.SignInAtProviderAsync("mallory", expectSession: false);

        Assert.Equal("/signin/refused", new Uri(page.Url).AbsolutePath);
        var alert = await page.GetByRole(AriaRole.Alert).TextContentAsync();
        Assert.Contains(PortalErrors.IdentityNotAUser, alert);
        Assert.Contains("mallory", alert);
        Assert.Contains("alice, bob, walter", await page.Locator(".signin").TextContentAsync());
        await page.GotoAsync("/inbox");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();
    }

    [OidcBrowserFact]
    public async Task A_person_removed_from_the_organisation_file_loses_the_portal_at_her_next_request_and_cannot_sign_in_again()
    {
        var page = await fixture.SignInAtProviderAsync(OidcBrowserFixture.Removed, "/inbox");
        Assert.Contains(OidcBrowserFixture.Removed, await page.Locator("header .who").TextContentAsync());

        await fixture.RemoveUserAsync(OidcBrowserFixture.Removed);

        await page.GotoAsync("/inbox");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();

        var again = await fixture.SignInAtProviderAsync(OidcBrowserFixture.Removed, expectSession: false);
        Assert.Equal("/signin/refused", new Uri(again.Url).AbsolutePath);
        Assert.Contains(PortalErrors.IdentityNotAUser, await again.GetByRole(AriaRole.Alert).TextContentAsync());
        await again.Context.CloseAsync();
    }
}

/// <summary>The provider, a seeded Gatehouse pointed at it, and one headless Chromium.</summary>
public sealed class OidcBrowserFixture : IAsyncLifetime
{
    /// <summary>The user the offboarding test removes (no other test in the class signs her in).</summary>
    public const string Removed = "erin";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private OidcProvider? _provider;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PortalServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!OidcBrowserFactAttribute.CanRun)
        {
            return;
        }

        _provider = await OidcProvider.StartAsync();
        Server = await PortalServer.StartAsync(false, _provider.GatehouseSettings());
        await _provider.RegisterAsync(Server.Url);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// A fresh browser profile goes to <paramref name="returnTo"/>, is sent to the sign-in page, clicks
    /// "Sign in with Acme SSO", signs in at the provider as <paramref name="login"/>, and comes back.
    /// </summary>
    public async Task<IPage> SignInAtProviderAsync(string login, string returnTo = "/", bool expectSession = true)
    {
        var context = await _browser!.NewContextAsync(new() { BaseURL = Server.Url.ToString() });
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(returnTo);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Acme SSO" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(_provider!.Issuer.ToString(), StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.Locator("button[type=submit]").ClickAsync();
        var landing = expectSession ? returnTo : "/signin/refused";
        await page.WaitForURLAsync(url => url.StartsWith(Server.Url.ToString(), StringComparison.Ordinal) && new Uri(url).AbsolutePath == landing);
        return page;
    }

    /// <summary>Pushes the example organisation file without <paramref name="user"/>, as an admin would.</summary>
    public async Task RemoveUserAsync(string user)
    {
        var text = DemoOrganisation.Organisation.Content.Replace($"members: [{user}, ", "members: [", StringComparison.Ordinal);
        Assert.NotEqual(DemoOrganisation.Organisation.Content, text);
        var organisation = ManifestReader.ReadOrganisation("gatehouse.org.yaml", Encoding.UTF8.GetBytes(text)).Value!;
        var pushed = await Server.Store.PushOrganisationAsync(organisation, text, new Actor(ActorKind.User, "alice"), null);
        Assert.Equal([user], pushed.Value!.Offboarding!.RemovedUsers);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}

/// <summary>Needs Chromium and the npm peers in tests/interop; skipped without them outside CI, never in CI.</summary>
public sealed class OidcBrowserFactAttribute : FactAttribute
{
    public OidcBrowserFactAttribute()
    {
        if (!OidcBrowserFactAttribute.CanRun)
        {
            Skip = OidcBrowserFactAttribute.Reason;
        }
    }

    public static bool CanRun => Environment.GetEnvironmentVariable("CI") == "true" || (File.Exists(BrowserFactAttribute.Chromium) && OidcProvider.Installed);

    public static string Reason => $"needs Chromium at {BrowserFactAttribute.Chromium} and `npm ci` in tests/interop; always runs when CI=true";
}

/// <inheritdoc cref="OidcBrowserFactAttribute"/>
public sealed class OidcBrowserTheoryAttribute : TheoryAttribute
{
    public OidcBrowserTheoryAttribute()
    {
        if (!OidcBrowserFactAttribute.CanRun)
        {
            Skip = OidcBrowserFactAttribute.Reason;
        }
    }
}
