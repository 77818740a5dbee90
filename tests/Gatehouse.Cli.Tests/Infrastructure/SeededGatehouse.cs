using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Cli.Tests.Infrastructure;

/// <summary>
/// A real server with the <see cref="Workspace"/>'s organisation and apps pushed the way people do
/// it: the bootstrap token pushes the organisation file and makes admin alice a token; alice pushes
/// the manifests and makes carol (owner of customers) a token.
/// </summary>
internal sealed class SeededGatehouse : IAsyncDisposable
{
    private SeededGatehouse(TestServer server, Workspace workspace, string alice, string carol)
    {
        Server = server;
        Workspace = workspace;
        Alice = alice;
        Carol = carol;
    }

    public TestServer Server { get; }

    public Workspace Workspace { get; }

    public string Alice { get; }

    public string Carol { get; }

    public static async Task<SeededGatehouse> StartAsync()
    {
        var workspace = new Workspace();
        var server = await TestServer.StartAsync();
        Assert.Equal(0, CliRunner.Run(workspace.Path, "push", "gatehouse.org.yaml", "--url", server.Url.ToString(), "--token", TestServer.BootstrapToken).ExitCode);
        var alice = await server.TokenForAsync("alice");
        var push = CliRunner.Run(workspace.Path, "push", ".", "--url", server.Url.ToString(), "--token", alice);
        Assert.True(push.ExitCode == 0, push.Error);
        using var asAlice = server.Client(alice);
        var carol = await LoopbackGatehouse.CreateTokenAsync(asAlice, "personal", "carol");
        return new SeededGatehouse(server, workspace, alice, carol);
    }

    /// <summary>Runs a command line against <paramref name="url"/> (the server itself when null).</summary>
    public CliResult Run(string token, Uri? url, params string[] args) =>
        CliRunner.Run(Workspace.Path, [.. args, "--url", (url ?? Server.Url).ToString(), "--token", token]);

    /// <summary>The id of the first request in carol's inbox.</summary>
    public string FirstRequestOfCarol()
    {
        var inbox = Run(Carol, null, "requests", "--mine");
        Assert.Equal(0, inbox.ExitCode);
        return inbox.Out.Split('\n')[1].Split(' ')[0];
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Workspace.Dispose();
    }
}
