using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Gatehouse.Portal.Tests.Infrastructure;

/// <summary>
/// npm's oidc-provider on 127.0.0.1 (tests/interop/oidc-provider.mjs), run as its own process: the
/// identity provider the portal's OpenID Connect sign-in is tested against.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "gatehouse-portal";
    public const string ClientSecret = "interop-client-secret-not-a-real-one";

    private readonly Process _process;
    private readonly Task<string> _errors;

    private OidcProvider(Process process, Uri issuer)
    {
        _process = process;
        Issuer = issuer;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public Uri Issuer { get; }

    /// <summary>The settings that point a Gatehouse server at this provider.</summary>
    public string[] GatehouseSettings(params string[] more) =>
    [
        $"--GATEHOUSE_OIDC_AUTHORITY={Issuer}",
        $"--GATEHOUSE_OIDC_CLIENT_ID={ClientId}",
        $"--GATEHOUSE_OIDC_CLIENT_SECRET={ClientSecret}",
        "--GATEHOUSE_OIDC_DISPLAY_NAME=Acme SSO",
        .. more,
    ];

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "interop");

    public static bool Installed => Directory.Exists(Path.Combine(Folder, "node_modules", "oidc-provider"));

    /// <summary>Starts the provider; it listens at once but registers the client only in <see cref="RegisterAsync"/>.</summary>
    public static async Task<OidcProvider> StartAsync()
    {
        var start = new ProcessStartInfo("node", "oidc-provider.mjs")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OIDC_CLIENT_ID"] = ClientId;
        start.Environment["OIDC_CLIENT_SECRET"] = ClientSecret;
        var process = Process.Start(start)!;
        var line = await ReadLineAsync(process);
        return new OidcProvider(process, new Uri(JsonNode.Parse(line)!["issuer"]!.GetValue<string>()));
    }

    /// <summary>Registers Gatehouse's redirect URI (known once Gatehouse has started) and waits until the provider serves.</summary>
    public async Task RegisterAsync(Uri gatehouse)
    {
        await _process.StandardInput.WriteLineAsync(new Uri(gatehouse, "signin-oidc").ToString());
        await _process.StandardInput.FlushAsync();
        var line = await ReadLineAsync(_process);
        Assert.True(JsonNode.Parse(line)!["ready"]!.GetValue<bool>(), line);
    }

    private static async Task<string> ReadLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            await process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException("oidc-provider.mjs stopped: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        }

        return line;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _errors;
        _process.Dispose();
    }
}
