using Gatehouse.Cli.Tests.Infrastructure;
using Gatehouse.Server.Usage;
using Gatehouse.Storage.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>
/// <c>gatehouse token list|revoke</c> for a person: never another person's personal token (the
/// issue 10 review), and each token's last use.
/// </summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync() => _gatehouse = await SeededGatehouse.StartAsync();

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    private string PersonalTokenIdOf(string user)
    {
        var list = _gatehouse.Run(_gatehouse.Alice, null, "token", "list"); // alice is an admin: she sees every token
        Assert.Equal(0, list.ExitCode);
        return list.Out.Split('\n').First(l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"\spersonal\s+{user}\s")).Split(' ')[0];
    }

    [Fact]
    public void A_person_can_neither_list_nor_revoke_another_persons_personal_token()
    {
        var alices = PersonalTokenIdOf("alice");

        var list = _gatehouse.Run(_gatehouse.Carol, null, "token", "list");
        var revoke = _gatehouse.Run(_gatehouse.Carol, null, "token", "revoke", alices);

        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain(alices, list.Out, StringComparison.Ordinal);
        Assert.Equal(1, revoke.ExitCode);
        Assert.Contains("[GH5102]", revoke.Error, StringComparison.Ordinal);
        Assert.Equal(0, _gatehouse.Run(_gatehouse.Alice, null, "token", "list").ExitCode); // alice's token still works
    }

    [Fact]
    public async Task The_token_list_shows_when_each_token_was_last_used()
    {
        var before = _gatehouse.Run(_gatehouse.Carol, null, "token", "list");
        Assert.Contains("LAST USED", before.Out.Split('\n')[0], StringComparison.Ordinal);
        var services = _gatehouse.Server.Services;
        await services.GetRequiredService<UsageRecorder>().FlushAsync(services.GetRequiredService<IUsageStore>(), default);

        var after = _gatehouse.Run(_gatehouse.Carol, null, "token", "list");

        var carols = after.Out.Split('\n').Single(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\spersonal\s+carol\s"));
        Assert.DoesNotMatch(@"\snever$", carols); // her own list call authenticated with it
        Assert.Matches(@"\d{4}-\d{2}-\d{2}", carols.Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
