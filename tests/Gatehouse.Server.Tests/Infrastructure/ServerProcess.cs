using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// `gatehouse serve` as a separate OS process, so a test can kill it with SIGKILL and start it
/// again on the same data folder.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <param name="environment">More variables for the process (notification targets' secrets, worker settings).</param>
    /// <param name="workingDirectory">Where the server starts (its content root); the test's own by default.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int? port = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        port ??= FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [CliPath(), "serve", "--urls", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.Environment["GATEHOUSE_DATA"] = dataDirectory;
        start.Environment["GATEHOUSE_BOOTSTRAP_TOKEN"] = TestServer.BootstrapToken;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gatehouse serve exited with {process.ExitCode}");
            }

            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return new ServerProcess(process, url);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("gatehouse serve did not become healthy within 30 s");
    }

    /// <summary>SIGKILL: no graceful shutdown, no flush beyond what was committed.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a server: the graceful shutdown runs. Returns the exit code.</summary>
    public int StopGracefully()
    {
        Terminate(_process);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("gatehouse serve did not stop within 30 s of SIGTERM");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM to <paramref name="process"/> (what `kill` does by default) without waiting for it to exit.</summary>
    public static void Terminate(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string CliPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("gatehouse.dll is not beside the tests; the test project references Gatehouse.Cli", path);
    }
}
