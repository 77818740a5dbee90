using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary><c>gatehouse review</c> against a real server (docs/adr/0032-access-reviews.md).</summary>
public sealed class ReviewCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync()
    {
        _gatehouse = await SeededGatehouse.StartAsync();
        Assert.Equal(0, _gatehouse.Run(_gatehouse.Carol, null, "approve", _gatehouse.FirstRequestOfCarol()).ExitCode);
    }

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    [Fact]
    public void An_admin_opens_a_review_an_owner_revokes_a_grant_in_it_and_the_list_shows_the_progress()
    {
        var refused = _gatehouse.Run(_gatehouse.Carol, null, "review", "open");
        var opened = _gatehouse.Run(_gatehouse.Alice, null, "review", "open", "--deadline-days", "7", "--unconfirmed", "revoke");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("GH4253", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, opened.ExitCode);
        Assert.Matches(@"^review 1: \d+ grant\(s\) in all, due .+; unconfirmed grants are revoked then\.", opened.Out);

        var mine = _gatehouse.Run(_gatehouse.Carol, null, "review", "show", "1", "--mine");
        Assert.Equal(0, mine.ExitCode);
        var row = mine.Out.Split('\n').Skip(2).First(l => l.Contains("customers:", StringComparison.Ordinal) && l.Contains("waiting", StringComparison.Ordinal));
        var grant = row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        var noReason = _gatehouse.Run(_gatehouse.Carol, null, "review", "revoke", "1", grant);
        var revoked = _gatehouse.Run(_gatehouse.Carol, null, "review", "revoke", "1", grant, "--comment", "the export replaced it");
        var list = _gatehouse.Run(_gatehouse.Carol, null, "review", "list");

        Assert.NotEqual(0, noReason.ExitCode);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains($"grant {grant}: ", revoked.Out, StringComparison.Ordinal);
        Assert.EndsWith("revoked\n", revoked.Out, StringComparison.Ordinal);
        var line = list.Out.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "all"], line[..2]);
        Assert.Equal(("open", "1"), (line[3], line[5]));
    }
}
