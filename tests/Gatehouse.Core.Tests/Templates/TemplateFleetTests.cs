using Gatehouse.Core.Templates;

namespace Gatehouse.Core.Tests.Templates;

/// <summary>How far apps are behind their template (docs/adr/0029-template-records.md).</summary>
public sealed class TemplateFleetTests
{
    private static SemVersion V(string text) => SemVersion.TryParse(text)!;

    private static readonly PublishedTemplate Svc = new("svc", "https://git.example.com/svc.git",
    [
        new(V("1.0.0"), null), new(V("1.1.0"), "Add a health check."), new(V("2.0.0"), "Program.cs moved."), new(V("3.0.0-rc.1"), "Not out yet."),
    ]);

    [Theory]
    [InlineData("https://git.example.com/svc.git", "https://git.example.com/svc")]
    [InlineData(" https://git.example.com/svc/ ", "https://git.example.com/svc")]
    [InlineData("https://git.example.com/svc.git/", "https://git.example.com/svc")]
    [InlineData("/srv/templates/svc", "/srv/templates/svc")]
    public void A_source_is_matched_without_a_trailing_slash_or_dot_git(string source, string key) =>
        Assert.Equal(key, TemplateSourceKey.Of(source));

    [Fact]
    public void Behind_counts_published_releases_up_to_the_latest_release_and_never_a_pre_release()
    {
        var fleet = TemplateFleet.Build([Svc],
        [
            new AppTemplateUse("billing", "https://git.example.com/svc/", V("1.0.0")),
            new AppTemplateUse("orders", "https://git.example.com/svc.git", V("2.0.0")),
            new AppTemplateUse("beta", "https://git.example.com/svc.git", V("3.0.0-rc.1")),
            new AppTemplateUse("fork", "https://git.example.com/svc.git", V("1.0.5")),
        ]);

        var svc = Assert.Single(fleet.Templates);
        Assert.Equal(("2.0.0", 2), (svc.Latest, svc.AppsBehind));
        Assert.Equal([("billing", 2), ("fork", 2), ("beta", 0), ("orders", 0)], svc.Apps.Select(a => (a.App, a.Behind ?? -1)));
        Assert.Equal(["1.1.0", "2.0.0"], svc.Apps[0].Notes.Select(n => n.Version));
        Assert.Equal(["1.1.0", "2.0.0"], svc.Apps[1].Notes.Select(n => n.Version));
        Assert.Equal(
            [("3.0.0-rc.1", true, 1), ("2.0.0", true, 1), ("1.1.0", true, 0), ("1.0.5", false, 1), ("1.0.0", true, 1)],
            svc.Versions.Select(v => (v.Version, v.Published, v.Apps)));
    }

    [Fact]
    public void Records_of_an_unpublished_source_are_listed_under_it_with_an_unknown_distance()
    {
        var fleet = TemplateFleet.Build([Svc], [new AppTemplateUse("local", "/srv/templates/other", V("0.2.0"))]);

        Assert.Equal(["svc", "/srv/templates/other"], fleet.Templates.Select(t => t.Name));
        var other = fleet.Templates[1];
        Assert.False(other.Published);
        Assert.Null(other.Latest);
        Assert.Null(Assert.Single(other.Apps).Behind);
        Assert.Empty(fleet.Templates[0].Apps);
    }

    [Theory]
    [InlineData("1.0.0", null)]
    [InlineData("v2.10.3-rc.1", null)]
    [InlineData("latest", "'latest' is not a version like 1.2.0 or v1.2.0-rc.1")]
    [InlineData("", "is missing; it is a version like 1.2.0")]
    public void A_version_field_is_checked_with_a_message_that_says_what_is_expected(string version, string? problem) =>
        Assert.Equal(problem, TemplateRecordRules.VersionProblem(version));
}
