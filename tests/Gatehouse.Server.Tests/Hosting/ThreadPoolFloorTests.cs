using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// The server keeps at least four worker threads ready (ADR 0045): a long synchronous SQLite call
/// (a usage flush, a push) must not leave requests waiting for the pool to add a thread.
/// </summary>
public sealed class ThreadPoolFloorTests
{
    [Fact]
    public async Task AStartedServer_KeepsFourWorkerThreadsReady_AndAHigherFloorIsKept()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        try
        {
            // A one-core container starts the pool at one worker.
            Assert.True(ThreadPool.SetMinThreads(1, io));
            await using (await TestServer.StartAsync())
            {
                ThreadPool.GetMinThreads(out var raised, out var ioAfter);
                Assert.Equal(ThreadPoolFloor.Workers, raised);
                Assert.Equal(io, ioAfter);
            }

            // More cores, or DOTNET_ThreadPool_ForceMinWorkerThreads, set a higher floor: it stays.
            Assert.True(ThreadPool.SetMinThreads(ThreadPoolFloor.Workers + 5, io));
            ThreadPoolFloor.Apply();
            ThreadPool.GetMinThreads(out var kept, out _);
            Assert.Equal(ThreadPoolFloor.Workers + 5, kept);
        }
        finally
        {
            ThreadPool.SetMinThreads(Math.Max(workers, ThreadPoolFloor.Workers), io);
        }
    }
}
