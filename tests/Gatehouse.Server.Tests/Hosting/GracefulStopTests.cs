using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// SIGTERM stops `gatehouse serve` gracefully, database included: SQLite copies its log into the
/// database and removes it when the last connection closes, which it does only when the server
/// closes its store (ADR 0046: that close also waits for the copy after a large push).
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_graceful_stop_closes_the_database_and_leaves_no_log_behind()
    {
        var data = Directory.CreateTempSubdirectory("gatehouse-stop-").FullName;
        try
        {
            using (var server = await ServerProcess.StartAsync(data))
            {
                using var bootstrap = LoopbackGatehouse.Client(server.Url, TestServer.BootstrapToken);
                Assert.True((await bootstrap.GetAsync("api/v1/me")).IsSuccessStatusCode);
                Assert.True(File.Exists(Path.Combine(data, "gatehouse.db-wal")), "a running server has its log open");

                Assert.Equal(0, server.StopGracefully());
            }

            Assert.False(File.Exists(Path.Combine(data, "gatehouse.db-wal")), "the log was left behind: the store was not closed");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
