using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Workflow;

/// <summary>
/// A whole organisation goes in one plan or push, and a large one weighs more than the server's
/// default body limit of 30 MB (ADR 0037): plan and push take up to 256 MiB, from a caller with a token.
/// </summary>
public sealed class LargePushBodyTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>40 manifests of nearly 1 MB each (the most a file may weigh): about 38 MB of JSON.</summary>
    private static object Body() => new
    {
        manifests = Enumerable.Range(1, 40).Select(i => new
        {
            path = $"big-{i:D2}/gatehouse.yaml",
            content = TestOrganisation.Customers.Replace("app: customers", $"app: big-{i:D2}", StringComparison.Ordinal) + "\n# " + new string('x', 950_000) + "\n",
        }),
    };

    [Fact]
    public async Task Plan_of_a_body_larger_than_30_MB_is_read_and_planned()
    {
        using var admin = _server.Client(_server.AdminToken);

        var response = await admin.PostAsJsonAsync("api/v1/plan", Body());

        Assert.Equal(200, (int)response.StatusCode);
        var plan = await TestServer.Json(response);
        Assert.Equal(40, plan["changes"]!.AsArray().Count(c => c!["kind"]!.GetValue<string>() == "add-app"));
    }
}
