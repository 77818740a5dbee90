using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Notifications;

/// <summary><c>gatehouse notifications</c> against a real server: admins list and redeliver dead letters, others are refused with the code.</summary>
public sealed class NotificationsCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync() => _gatehouse = await SeededGatehouse.StartAsync();

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    [Fact]
    public void DeadLetters_AsAdmin_ListsThemWithTheCounts()
    {
        var result = _gatehouse.Run(_gatehouse.Alice, null, "notifications", "dead-letters");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("No dead letters.", result.Out, StringComparison.Ordinal);
        Assert.Contains("0 pending, 0 delivered, 0 dead", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadLetters_AsSomeoneElse_IsRefusedWithGH6020()
    {
        var result = _gatehouse.Run(_gatehouse.Carol, null, "notifications", "dead-letters");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GH6020", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Redeliver_AnUnknownId_SaysSoWithGH6021()
    {
        var result = _gatehouse.Run(_gatehouse.Alice, null, "notifications", "redeliver", "msg_unknown");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GH6021", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notifications dead-letters", "gatehouse notifications dead-letters --json")]
    [InlineData("notifications redeliver", "gatehouse notifications redeliver msg_")]
    public void Help_EndsWithExamples(string command, string example)
    {
        var result = CliRunner.Run(Path.GetTempPath(), [.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:\n", result.Out, StringComparison.Ordinal);
        Assert.Contains(example, result.Out, StringComparison.Ordinal);
    }
}
