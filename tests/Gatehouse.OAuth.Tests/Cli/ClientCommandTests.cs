using System.Diagnostics;
using Gatehouse.OAuth.Tests.Infrastructure;

namespace Gatehouse.OAuth.Tests.Cli;

/// <summary>`gatehouse client create` as a real process against a real server, then the credentials it printed at work.</summary>
public sealed class ClientCommandTests
{
    [Fact]
    public async Task ClientCreate_PrintsIdAndSecretOnce_AndTheyGetATokenUntilRevoked()
    {
        await using var server = await OAuthTestServer.StartAsync();

        var (exit, output, errors) = await GatehouseAsync(server, "client", "create", "--app", "billing", "--env", "development");

        Assert.True(exit == 0, errors);
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.StartsWith("cl_", values["client_id"]);
        Assert.StartsWith("gthc_", values["client_secret"]);
        Assert.Contains("shown only now", errors);
        var answer = await TokenClient.TokenAsync(server, (values["client_id"], values["client_secret"]), "scope=customers:profile.read");
        Assert.Equal(200, answer.Status);

        var (listExit, list, _) = await GatehouseAsync(server, "client", "list", "--app", "billing");
        Assert.Equal(0, listExit);
        Assert.Contains(values["client_id"], list);
        Assert.DoesNotContain(values["client_secret"], list);

        Assert.Equal(0, (await GatehouseAsync(server, "client", "revoke", values["client_id"])).Exit);
        Assert.Equal("invalid_client", (await TokenClient.TokenAsync(server, (values["client_id"], values["client_secret"]), "scope=customers:profile.read")).Error);
    }

    [Fact]
    public async Task ClientCreate_ForAnAppTheUserDoesNotOwn_FailsWithTheCode()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var alice = await server.PersonalTokenAsync("alice");

        var (exit, _, errors) = await GatehouseAsAsync(server, alice, "client", "create", "--app", "customers", "--env", "production");

        Assert.Equal(1, exit);
        Assert.Contains("GH5003", errors);
    }

    [Fact]
    public async Task ClientRotateSecret_PrintsTheNewSecretOnce_AndTheOldOneWorksDuringTheOverlap()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var (id, old) = await server.CreateClientAsync("billing", "development");
        var alice = await server.PersonalTokenAsync("alice");

        var (exit, output, errors) = await GatehouseAsAsync(server, alice, "client", "rotate-secret", id, "--overlap", "1");

        Assert.True(exit == 0, errors);
        var secret = output.Trim().Split('=', 2)[1];
        Assert.StartsWith("gthc_", secret);
        Assert.Contains("the old one works until", errors);
        Assert.Equal(200, (await TokenClient.TokenAsync(server, (id, secret), "scope=customers:profile.read")).Status);
        Assert.Equal(200, (await TokenClient.TokenAsync(server, (id, old!), "scope=customers:profile.read")).Status);

        var (badExit, _, badErrors) = await GatehouseAsAsync(server, alice, "client", "rotate-secret", id, "--overlap", "9999");
        Assert.Equal(1, badExit);
        Assert.Contains("GH5013", badErrors);
    }

    private static async Task<(int Exit, string Output, string Errors)> GatehouseAsync(OAuthTestServer server, params string[] args) =>
        await GatehouseAsAsync(server, await server.AdminTokenAsync(), args);

    private static async Task<(int Exit, string Output, string Errors)> GatehouseAsAsync(OAuthTestServer server, string token, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");
        var start = new ProcessStartInfo("dotnet", [cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GATEHOUSE_URL"] = server.Issuer;
        start.Environment["GATEHOUSE_TOKEN"] = token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
