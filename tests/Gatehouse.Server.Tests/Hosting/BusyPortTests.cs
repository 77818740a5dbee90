using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>`gatehouse serve` on a port another process holds: one line naming the address, no stack trace (issue 9).</summary>
public sealed class BusyPortTests
{
    [Fact]
    public async Task Serve_OnABusyPort_PrintsOneLineNamingTheAddress_AndExitsNonZero()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        var data = Directory.CreateTempSubdirectory("gatehouse-busy-port-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), "serve", "--urls", url])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["GATEHOUSE_DATA"] = data;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);

            var output = await stdout + await stderr;
            Assert.Equal(1, process.ExitCode);
            var error = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("gatehouse: error: cannot start the server:", error);
            Assert.Contains(url, error);
            Assert.Contains("already in use", error);
            Assert.DoesNotContain("   at ", output);
            Assert.DoesNotContain("Exception", output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
