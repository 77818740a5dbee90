using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary><c>who-can</c> tells "nobody holds this scope" from "there is no such scope".</summary>
public sealed class WhoCanCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync() => _gatehouse = await SeededGatehouse.StartAsync();

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    private CliResult WhoCan(params string[] args) => _gatehouse.Run(_gatehouse.Alice, null, ["who-can", .. args]);

    [Fact]
    public void AnUnknownScope_IsAnError_ThatSuggestsTheScopeMeant()
    {
        var result = WhoCan("customers:profile.reed");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: app `customers` has no scope `profile.reed` (it declares: profile.read); did you mean 'profile.read'?\n", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void AnUnknownApp_IsAnError_ThatSuggestsTheAppMeant()
    {
        var result = WhoCan("custmers:profile.read", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: no app named `custmers` has been pushed; did you mean 'customers'?\n", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void AnAppWithNoScopes_SaysSo()
    {
        var result = WhoCan("billing:invoices.read");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("app `billing` has no scope `invoices.read` (it declares no scopes)", result.Error);
    }

    [Fact]
    public void AKnownScopeNobodyHolds_IsNotAnError()
    {
        var result = WhoCan("customers:profile.read");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No app may use customers:profile.read.\n", result.Out);
    }

    [Fact]
    public void AGrantedScope_ListsWhoHoldsIt()
    {
        Assert.Equal(0, _gatehouse.Run(_gatehouse.Carol, null, "approve", _gatehouse.FirstRequestOfCarol()).ExitCode);

        var result = WhoCan("customers:profile.read");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("billing", result.Out);
        Assert.Contains("production", result.Out);
        Assert.Contains("carol", result.Out);
    }
}
