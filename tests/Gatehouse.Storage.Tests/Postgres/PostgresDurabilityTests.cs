using Gatehouse.Storage.Postgres;

namespace Gatehouse.Storage.Tests.Postgres;

public sealed class PostgresDurabilityTests
{
    [Fact]
    public void Settings_that_can_lose_commits_are_each_named()
    {
        Assert.Empty(PostgresDurability.Problems("on", "on"));
        Assert.Empty(PostgresDurability.Problems("remote_apply", "on"));
        Assert.Contains("synchronous_commit is 'local'", Assert.Single(PostgresDurability.Problems("local", "on")), StringComparison.Ordinal);
        Assert.Equal(2, PostgresDurability.Problems("off", "off").Count);
    }
}
