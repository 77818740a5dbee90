using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary>
/// <c>check</c> says when a grant ends and, once it has, when it expired and how to renew it;
/// <c>expiring</c> lists what ends soon (docs/adr/0023-grant-lifetime-and-expiry.md).
/// </summary>
public sealed class ExpiryCommandTests : IAsyncLifetime
{
    private const string BillingUntil = """
        apiVersion: gatehouse/v1
        app: billing
        owners: [team:payments]
        needs:
          - app: customers
            scopes: [profile.read]
            reason: Move old invoices (a migration)
            environments: [production]
            until: 2026-06-01
        """;

    private readonly Clock _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Workspace _workspace = new();
    private TestServer _server = null!;
    private string _alice = "";

    public async Task InitializeAsync()
    {
        _workspace.Write("services/billing/gatehouse.yaml", BillingUntil);
        _server = await TestServer.StartOnClockAsync(_time);
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        _alice = await _server.TokenForAsync("alice");
        Assert.Equal(0, Run(_alice, "push", ".").ExitCode);
        using var asAlice = _server.Client(_alice);
        var carol = await LoopbackGatehouse.CreateTokenAsync(asAlice, "personal", "carol");
        var inbox = Run(carol, "requests", "--mine");
        Assert.Equal(0, Run(carol, "approve", inbox.Out.Split('\n')[1].Split(' ')[0]).ExitCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _workspace.Dispose();
    }

    private CliResult Run(string token, params string[] args) =>
        CliRunner.Run(_workspace.Path, [.. args, "--url", _server.Url.ToString(), "--token", token]);

    [Fact]
    public void Check_passes_and_says_when_the_grant_ends()
    {
        var result = Run(_alice, "check", "--env", "production");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ENDS billing -> customers:profile.read in production: granted until 2026-06-02 00:00 UTC", result.Out, StringComparison.Ordinal);
        Assert.Contains("OK: all 1 needed access(es) are granted in production.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_fails_after_the_end_and_says_when_it_expired_and_how_to_renew()
    {
        _time.Now = new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.Zero);

        var result = Run(_alice, "check", "--env", "production");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MISSING billing -> customers:profile.read in production: expired", result.Out, StringComparison.Ordinal);
        Assert.Contains("the grant expired at 2026-06-02 00:00 UTC; to renew it run `gatehouse push`", result.Out, StringComparison.Ordinal);
        Assert.Contains("ask carol to approve it", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Expiring_lists_the_grants_that_end_within_the_days_asked_and_none_that_ended()
    {
        var soon = Run(_alice, "expiring", "--within", "1");
        _time.Now = new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var after = Run(_alice, "expiring");

        Assert.Equal(0, soon.ExitCode);
        Assert.Contains("billing", soon.Out, StringComparison.Ordinal);
        Assert.Contains("customers:profile.read", soon.Out, StringComparison.Ordinal);
        Assert.Contains("2026-06-02 00:00 UTC", soon.Out, StringComparison.Ordinal);
        Assert.Equal("No grant ends within 14 days.\n", after.Out);
    }

    [Fact]
    public void Expiring_refuses_a_negative_number_of_days()
    {
        var result = Run(_alice, "expiring", "--within", "-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--within -1 is not a number of days from 0 to 3650", result.Error, StringComparison.Ordinal);
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
