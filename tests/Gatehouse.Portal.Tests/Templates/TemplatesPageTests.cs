using Gatehouse.Core.Access;
using Gatehouse.Core.Templates;
using Gatehouse.Portal.Tests.Browser;
using Gatehouse.Storage.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Templates;

/// <summary>The Templates page in a real Chromium (docs/adr/0029-template-records.md): a signed-in person sees who is behind and what to read.</summary>
public sealed class TemplatesPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Source = "https://git.example.com/platform/svc.git";

    private static SemVersion V(string text) => SemVersion.TryParse(text)!;

    [BrowserFact]
    public async Task A_signed_in_person_opens_Templates_from_the_nav_and_sees_an_app_behind_with_its_migration_notes()
    {
        var templates = fixture.Server.Services.GetRequiredService<ITemplateStore>();
        var apps = (await fixture.Server.Store.ListAppsAsync()).Select(a => a.Name).Order(StringComparer.Ordinal).Take(2).ToList();
        var published = await templates.PublishAsync(
            new PublishedTemplate("svc", Source, [new(V("1.0.0"), null), new(V("1.1.0"), "Add the health check to your Dockerfile."), new(V("2.0.0"), "Program.cs moved to src/.")]),
            new Actor(ActorKind.Bootstrap, "bootstrap"), null);
        Assert.True(published.Succeeded, published.ErrorMessage);
        await templates.RecordAppTemplatesAsync(
            [new AppTemplateRecord(apps[0], Source, V("1.0.0")), new AppTemplateRecord(apps[1], Source, V("2.0.0"))], new Actor(ActorKind.Bootstrap, "bootstrap"), null);
        var viewer = fixture.Server.Users.Order(StringComparer.Ordinal).First();

        var page = await fixture.SignedInPageAsync(viewer);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/templates");
        await Screenshots.SaveAsync(page, "templates");

        Assert.Equal("page", await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).First.GetAttributeAsync("aria-current"));
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "svc", Level = 2 }).IsVisibleAsync());
        var behind = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "2 versions behind" });
        Assert.Equal(1, await behind.CountAsync());
        Assert.Contains(apps[0], await behind.GetByRole(AriaRole.Rowheader).TextContentAsync(), StringComparison.Ordinal);
        Assert.False(await behind.GetByText("Program.cs moved to src/.").IsVisibleAsync());
        await behind.GetByText("2.0.0", new() { Exact = true }).ClickAsync();
        Assert.True(await behind.GetByText("Program.cs moved to src/.").IsVisibleAsync());
        var current = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "up to date" });
        Assert.Contains(apps[1], await current.GetByRole(AriaRole.Rowheader).TextContentAsync(), StringComparison.Ordinal);
        var versions = await page.GetByRole(AriaRole.Table, new() { Name = "Versions of svc, newest first" }).Locator("tbody tr").AllAsync();
        var counts = new List<string>();
        foreach (var row in versions)
        {
            counts.Add(Words(await row.Locator("th").TextContentAsync()) + " / " + Words(await row.Locator("td.num").TextContentAsync()));
        }

        Assert.Equal(["2.0.0 latest / 1", "1.1.0 / 0", "1.0.0 / 1"], counts);
        await page.Context.CloseAsync();

        var phone = await fixture.SignedInPageAsync(viewer, 390, 844);
        await phone.GotoAsync("/templates");
        await phone.GetByText("2.0.0", new() { Exact = true }).Last.ClickAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "/templates scrolls sideways on a phone");
        await Screenshots.SaveAsync(phone, "templates-phone");
        await phone.Context.CloseAsync();
    }

    private static string Words(string? text) => string.Join(' ', (text ?? string.Empty).Split((char[])[' ', '\n', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));
}
