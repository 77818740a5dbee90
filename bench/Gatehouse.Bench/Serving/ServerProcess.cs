using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// A <c>gatehouse serve</c> child on a free loopback port, optionally pinned (see <see cref="CpuPinning"/>), its output
/// in a log file. Stopped with SIGTERM (a clean shutdown closes the store), then killed if it hangs.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly string _readyPath;

    private ServerProcess(Process process, StreamWriter log, Uri url, string logPath, string readyPath)
    {
        _process = process;
        _log = log;
        Url = url;
        LogPath = logPath;
        _readyPath = readyPath;
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public static ServerProcess Start(string gatehouse, ServerSettings settings, CpuPinning pinning, bool pinned, string logPath)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        return Start(pinning.Server([gatehouse, "serve", "--urls", url.ToString().TrimEnd('/')], pinned), settings.ApplyTo, url, logPath, "readyz");
    }

    /// <summary>The Kestrel hello app (bench/Hello.Kestrel), pinned like the server it is compared with.</summary>
    public static ServerProcess StartHello(string hello, CpuPinning pinning, string logPath)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        return Start(pinning.Server([hello, "--urls", url.ToString().TrimEnd('/')], pinned: true), static environment =>
        {
            foreach (var name in environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            {
                environment.Remove(name);
            }
        }, url, logPath, "");
    }

    private static ServerProcess Start(IReadOnlyList<string> command, Action<IDictionary<string, string?>> environment, Uri url, string logPath, string readyPath)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        environment(start.Environment);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start gatehouse serve");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, url, logPath, readyPath);
        server.WaitUntilReady();
        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited {_process.ExitCode} at start; see {LogPath}:\n{File.ReadAllText(LogPath)}");
            }

            try
            {
                if (http.GetAsync(new Uri(Url, _readyPath)).Result.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (AggregateException)
            {
                // not listening yet
            }

            Thread.Sleep(200);
        }

        Dispose();
        throw new InvalidOperationException($"{_process.StartInfo.FileName} was not ready within {StartLimit.TotalSeconds:F0} s; see {LogPath}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
