using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>Real proxies (nginx, caddy) and a sample upstream, started on loopback by the tests and stopped after them.</summary>
internal static class Proxies
{
    public static string? Find(string binary)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var path = Path.Combine(dir, binary);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A tiny service behind the proxy: echoes what the proxy passed on about the caller.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        var web = builder.Build();
        web.Run(http => http.Response.WriteAsJsonAsync(new
        {
            method = http.Request.Method,
            path = http.Request.Path.Value,
            app = http.Request.Headers["X-Gatehouse-App"].ToString(),
            scopes = http.Request.Headers["X-Gatehouse-Scopes"].ToString(),
        }));
        await web.StartAsync();
        return (web, new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/> and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<RunningProxy> StartAsync(string file, IEnumerable<string> arguments, int port, string folder, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new RunningProxy(process, port, folder, output);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {proxy.Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await proxy.DisposeAsync();
        throw new TimeoutException($"{Path.GetFileName(file)} did not listen on {port}: {proxy.Output}");
    }

    /// <summary>Runs a checker (<c>nginx -t</c>, <c>caddy validate</c>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string folder, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

internal sealed class RunningProxy(Process process, int port, string folder, System.Text.StringBuilder output) : IAsyncDisposable
{
    public Uri Url { get; } = new($"http://127.0.0.1:{port}");

    public string Folder { get; } = folder;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans its temp folder
        }
    }
}
