using Gatehouse.Core.Templates;
using Gatehouse.Storage.Relational.Migrations;
using Gatehouse.Storage.Templates;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>Templates seen from the platform (docs/adr/0029-template-records.md): each app's record and the published templates.</summary>
public abstract partial class StoreContractTests
{
    private const string SvcSource = "https://git.example.com/platform/svc.git";

    private ITemplateStore Templates => TemplateStoreFactory.For(Store, Time);

    private static SemVersion V(string text) => SemVersion.TryParse(text)!;

    private static PublishedTemplate Svc(params (string Version, string? Note)[] versions) =>
        new("svc", SvcSource, [.. versions.Select(v => new PublishedTemplateVersion(V(v.Version), v.Note))]);

    [StoreFact]
    public async Task A_push_sets_changes_and_clears_an_apps_template_record_and_audits_only_changes()
    {
        await SeedAsync();
        var templates = Templates;

        Assert.Equal(2, await templates.RecordAppTemplatesAsync(
            [new AppTemplateRecord("billing", SvcSource, V("1.0.0")), new AppTemplateRecord("customers", "https://git.example.com/platform/svc/", V("1.1.0"))], User("alice"), "t1"));
        var head = (await Store.VerifyAuditAsync()).EventCount;
        Assert.Equal(0, await templates.RecordAppTemplatesAsync([new AppTemplateRecord("billing", SvcSource, V("v1.0.0"))], User("alice"), "t2"));
        Assert.Equal(head, (await Store.VerifyAuditAsync()).EventCount);

        Assert.Equal(
            [new AppTemplateUse("billing", SvcSource, V("1.0.0")), new AppTemplateUse("customers", "https://git.example.com/platform/svc/", V("1.1.0"))],
            await templates.ListAppTemplatesAsync());

        Assert.Equal(2, await templates.RecordAppTemplatesAsync([new AppTemplateRecord("billing", SvcSource, V("2.0.0")), new AppTemplateRecord("customers", null, null)], User("bob"), "t3"));
        Assert.Equal([new AppTemplateUse("billing", SvcSource, V("2.0.0"))], await templates.ListAppTemplatesAsync());
        Assert.Equal(["app.template.recorded", "app.template.cleared"], await ActionsAfterAsync(head));
        var recorded = (await Store.ReadAuditAsync(new AuditQuery(Action: "app.template.recorded")))[^1];
        Assert.Equal(("user:bob", "billing"), (recorded.Actor, recorded.App));
        Assert.Contains("\"previous\":\"1.0.0\"", recorded.Data, StringComparison.Ordinal);
        Assert.True((await Store.VerifyAuditAsync()).Valid);
    }

    [StoreFact]
    public async Task Publishing_is_for_admins_replaces_the_versions_and_publishing_again_changes_nothing()
    {
        await SeedAsync();
        var templates = Templates;

        AssertRefused(await templates.PublishAsync(Svc(("1.0.0", null)), User("alice"), "p0"), StoreErrorKind.Forbidden, TemplateCodes.PublishForbidden, "admin");
        AssertRefused(await templates.PublishAsync(Svc(("1.0.0", null)), new Core.Access.Actor(Core.Access.ActorKind.App, "billing"), "p0"), StoreErrorKind.Forbidden, TemplateCodes.PublishForbidden);
        Assert.Empty(await templates.ListTemplatesAsync());

        var first = await templates.PublishAsync(Svc(("1.0.0", null), ("1.1.0", "Add a health check")), User("root"), "p1");
        Assert.Equal(new TemplatePublication("svc", "published", 2), first.Value);
        var head = (await Store.VerifyAuditAsync()).EventCount;
        var again = await templates.PublishAsync(Svc(("1.1.0", "Add a health check"), ("1.0.0", null)), User("root"), "p2");
        Assert.Equal("unchanged", again.Value!.Outcome);
        Assert.Equal(head, (await Store.VerifyAuditAsync()).EventCount);

        var updated = await templates.PublishAsync(Svc(("1.0.0", null), ("1.1.0", "Add a health check"), ("2.0.0", "Program.cs moved to src/"), ("2.1.0-rc.1", null)), Bootstrap, "p3");
        Assert.Equal(new TemplatePublication("svc", "updated", 4), updated.Value);
        var published = Assert.Single(await templates.ListTemplatesAsync());
        Assert.Equal(("svc", SvcSource), (published.Name, published.Source));
        Assert.Equal(["1.0.0", "1.1.0", "2.0.0", "2.1.0-rc.1"], published.Versions.Select(v => v.Version.ToString()));
        Assert.Equal("Program.cs moved to src/", published.Versions[2].MigrationNote);
        Assert.Equal(["template.published", "template.published"], (await Store.ReadAuditAsync(new AuditQuery(Action: "template.published"))).Select(e => e.Action));
    }

    [StoreFact]
    public async Task A_source_published_under_one_name_is_refused_under_another_in_any_spelling()
    {
        await SeedAsync();
        var templates = Templates;
        Assert.True((await templates.PublishAsync(Svc(("1.0.0", null)), User("root"), "p1")).Succeeded);

        var other = new PublishedTemplate("svc-copy", "https://git.example.com/platform/svc/", [new PublishedTemplateVersion(V("1.0.0"), null)]);
        AssertRefused(await templates.PublishAsync(other, User("root"), "p2"), StoreErrorKind.Conflict, TemplateCodes.SourcePublishedUnderAnotherName, "'svc'");
        Assert.Equal(["svc"], (await templates.ListTemplatesAsync()).Select(t => t.Name));
    }

    [StoreFact]
    public async Task The_fleet_shows_apps_behind_by_published_releases_with_the_notes_between_their_version_and_the_latest()
    {
        await SeedAsync();
        var templates = Templates;
        await templates.PublishAsync(Svc(("1.0.0", null), ("1.1.0", "Add a health check"), ("2.0.0", "Program.cs moved to src/"), ("2.1.0-rc.1", "Not yet")), User("root"), "p");
        await templates.RecordAppTemplatesAsync([new AppTemplateRecord("billing", SvcSource, V("1.0.0")), new AppTemplateRecord("customers", SvcSource + "/", V("2.0.0"))], User("root"), "r");

        var fleet = TemplateFleet.Build(await templates.ListTemplatesAsync(), await templates.ListAppTemplatesAsync());

        var svc = Assert.Single(fleet.Templates);
        Assert.Equal(("2.0.0", 1), (svc.Latest, svc.AppsBehind));
        Assert.Equal([("2.1.0-rc.1", 0), ("2.0.0", 1), ("1.1.0", 0), ("1.0.0", 1)], svc.Versions.Select(v => (v.Version, v.Apps)));
        var billing = svc.Apps[0];
        Assert.Equal(("billing", "1.0.0", (int?)2), (billing.App, billing.Version, billing.Behind));
        Assert.Equal(["1.1.0: Add a health check", "2.0.0: Program.cs moved to src/"], billing.Notes.Select(n => $"{n.Version}: {n.Note}"));
        Assert.Equal(("customers", (int?)0), (svc.Apps[1].App, svc.Apps[1].Behind));
    }

    [StoreFact]
    public async Task A_database_of_version_10_upgrades_to_template_records_keeping_its_apps_with_no_record_yet()
    {
        var options = await NewDatabaseAsync();
        var old = await OpenStoreAsync(options, migrate: false);
        await old.MigrateAsync(V11TemplateRecords.Migration.Version - 1, default);
        var saved = Store;
        Store = old;
        await SeedAsync();
        Store = saved;

        var upgraded = await OpenStoreAsync(options, migrate: false);
        Assert.Contains(11, await upgraded.MigrateAsync(Migrations.Latest, default));

        Assert.Equal(["billing", "customers"], (await upgraded.ListAppsAsync()).Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Empty(await TemplateStoreFactory.For(upgraded, Time).ListAppTemplatesAsync());
        Assert.True((await upgraded.VerifyAuditAsync()).Valid);
    }
}
