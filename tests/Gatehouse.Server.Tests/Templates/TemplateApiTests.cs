using System.Net;
using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Templates;

/// <summary>Templates seen from the platform over HTTP (docs/adr/0029-template-records.md): push records, publish, the fleet.</summary>
public sealed class TemplateApiTests
{
    private const string Source = "https://git.example.com/platform/svc.git";

    private static object Publication(string name = "svc", string source = Source) => new
    {
        name,
        source,
        versions = new object[]
        {
            new { version = "1.0.0" },
            new { version = "1.1.0", migrationNote = "Add the health check to your Dockerfile." },
            new { version = "v2.0.0", migrationNote = "Program.cs moved to src/." },
        },
    };

    private static object BillingPush(object? template) => new
    {
        manifests = new[] { new { path = "billing/gatehouse.yaml", content = TestOrganisation.Billing, template } },
    };

    [Fact]
    public async Task Reading_and_publishing_templates_needs_a_token()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Client(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/templates/svc")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/v1/templates", Publication())).StatusCode);
    }

    [Fact]
    public async Task A_pushed_record_and_a_published_template_show_the_app_behind_with_the_notes_until_a_push_without_a_record_clears_it()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);
        using var alice = server.Client(await server.TokenForAsync("alice"));

        var published = await admin.PostAsJsonAsync("api/v1/templates", Publication());
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("published", (await TestServer.Json(published))["outcome"]!.ToString());
        var pushed = await alice.PostAsJsonAsync("api/v1/push", BillingPush(new { source = "https://git.example.com/platform/svc", version = "1.0.0" }));
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);

        // Any signed-in person reads the fleet, like the catalogue.
        using var sam = server.Client(await server.TokenForAsync("sam"));
        var svc = (await TestServer.Json(await sam.GetAsync("api/v1/templates")))["templates"]!.AsArray().Single()!;
        Assert.Equal(("svc", "2.0.0", 1, 1), (svc["name"]!.ToString(), svc["latest"]!.ToString(), svc["appCount"]!.GetValue<int>(), svc["appsBehind"]!.GetValue<int>()));
        var billing = svc["apps"]!.AsArray().Single()!;
        Assert.Equal(("billing", "1.0.0", 2), (billing["app"]!.ToString(), billing["version"]!.ToString(), billing["behind"]!.GetValue<int>()));
        Assert.Equal(["1.1.0", "2.0.0"], billing["notes"]!.AsArray().Select(n => n!["version"]!.ToString()));
        Assert.Equal("Program.cs moved to src/.", billing["notes"]![1]!["note"]!.ToString());
        Assert.Equal([("2.0.0", 0), ("1.1.0", 0), ("1.0.0", 1)], svc["versions"]!.AsArray().Select(v => (v!["version"]!.ToString(), v["apps"]!.GetValue<int>())));

        var one = await TestServer.Json(await sam.GetAsync("api/v1/templates/svc"));
        Assert.Equal(1, one["appsBehind"]!.GetValue<int>());

        var cleared = await alice.PostAsJsonAsync("api/v1/push", BillingPush(null));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Empty((await TestServer.Json(await sam.GetAsync("api/v1/templates/svc")))["apps"]!.AsArray());
    }

    [Fact]
    public async Task A_record_naming_an_unpublished_source_is_listed_with_an_unknown_distance()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/push", BillingPush(new { source = "/srv/templates/local", version = "0.3.0" }))).StatusCode);

        var entry = (await TestServer.Json(await admin.GetAsync("api/v1/templates")))["templates"]!.AsArray().Single()!;
        Assert.False(entry["published"]!.GetValue<bool>());
        Assert.Equal("/srv/templates/local", entry["source"]!.ToString());
        Assert.Null(entry["apps"]![0]!["behind"]);
    }

    [Fact]
    public async Task A_bad_version_or_source_in_a_push_is_refused_naming_the_field_and_nothing_changes()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);

        foreach (var (template, field) in new (object Template, string Field)[]
        {
            (new { source = Source, version = "latest" }, "manifests[0].template.version"),
            (new { source = Source, version = (string?)null }, "manifests[0].template.version"),
            (new { source = " ", version = "1.0.0" }, "manifests[0].template.source"),
        })
        {
            foreach (var endpoint in new[] { "api/v1/push", "api/v1/plan" })
            {
                var response = await admin.PostAsJsonAsync(endpoint, BillingPush(template));
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                var problem = await TestServer.Json(response);
                Assert.Equal("GH7030", problem["code"]!.ToString());
                Assert.Contains($"`{field}`", problem["detail"]!.ToString(), StringComparison.Ordinal);
            }
        }

        Assert.Empty((await TestServer.Json(await admin.GetAsync("api/v1/templates")))["templates"]!.AsArray());
    }

    [Fact]
    public async Task Publishing_is_refused_to_a_non_admin_for_bad_fields_and_for_a_source_another_name_holds()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var admin = server.Client(server.AdminToken);
        using var alice = server.Client(await server.TokenForAsync("alice"));

        var forbidden = await alice.PostAsJsonAsync("api/v1/templates", Publication());
        Assert.Equal((HttpStatusCode.Forbidden, "GH7033"), (forbidden.StatusCode, (await TestServer.Json(forbidden))["code"]!.ToString()));

        var badVersion = await admin.PostAsJsonAsync("api/v1/templates", new { name = "svc", source = Source, versions = new[] { new { version = "1.0.0" }, new { version = "2.x" } } });
        var problem = await TestServer.Json(badVersion);
        Assert.Equal((HttpStatusCode.BadRequest, "GH7031"), (badVersion.StatusCode, problem["code"]!.ToString()));
        Assert.Contains("`versions[1].version`", problem["detail"]!.ToString(), StringComparison.Ordinal);
        var badName = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/templates", Publication(name: "../svc")));
        Assert.Contains("`name`", badName["detail"]!.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/templates", Publication())).StatusCode);
        var again = await TestServer.Json(await admin.PostAsJsonAsync("api/v1/templates", Publication()));
        Assert.Equal("unchanged", again["outcome"]!.ToString());
        var conflict = await admin.PostAsJsonAsync("api/v1/templates", Publication(name: "svc-copy", source: Source + "/"));
        Assert.Equal((HttpStatusCode.Conflict, "GH7034"), (conflict.StatusCode, (await TestServer.Json(conflict))["code"]!.ToString()));

        var missing = await admin.GetAsync("api/v1/templates/nope");
        Assert.Equal((HttpStatusCode.NotFound, "GH7032"), (missing.StatusCode, (await TestServer.Json(missing))["code"]!.ToString()));
    }
}
