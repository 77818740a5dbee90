using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Decisions;

public sealed class DecisionEndpointTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonNode> DecideAsync(object body, string? bearer = OAuthTestServer.BootstrapToken)
    {
        using var http = _server.Client(bearer);
        var response = await http.PostAsJsonAsync("api/v1/decisions", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task GrantedAccess_IsAllowedWithAReason()
    {
        var gateway = await _server.DeployTokenAsync("customers");

        var decision = await DecideAsync(new { app = "billing", scope = "customers:profile.read", environment = Development }, gateway);

        Assert.True(decision["allow"]!.GetValue<bool>());
        Assert.Equal("granted", decision["state"]!.GetValue<string>());
        Assert.Contains("billing is granted customers:profile.read", decision["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_AnswersEachQueryInOrder_AndDeniesWhatIsNotGranted()
    {
        var answer = await DecideAsync(new
        {
            queries = new[]
            {
                new { app = "billing", scope = "customers:status.read", environment = Development },
                new { app = "billing", scope = "customers:profile.write", environment = Development },
                new { app = "billing", scope = "customers:profile.read", environment = Production },
                new { app = "customers", scope = "billing:invoices.read", environment = Development },
            },
        });

        var decisions = answer["decisions"]!.AsArray();
        Assert.Equal([true, false, false, false], decisions.Select(d => d!["allow"]!.GetValue<bool>()));
        Assert.Equal(["granted", "pending", "pending", "notrequested"], decisions.Select(d => d!["state"]!.GetValue<string>()));
        Assert.Contains("waiting for approval by carol", decisions[1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedGrant_IsDeniedAtOnce()
    {
        var grant = await ActiveGrantAsync(_server.Store, "billing", "customers", "profile.read", Development);
        await RevokeAsync(_server.Store, grant.Id);

        var decision = await DecideAsync(new { app = "billing", scope = "customers:profile.read", environment = Development });

        Assert.False(decision["allow"]!.GetValue<bool>());
        Assert.Equal("revoked", decision["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithoutAGatehouseToken_Is401()
    {
        using var anonymous = _server.Client(bearer: null);

        var response = await anonymous.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = Development });

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task MalformedScope_Is400WithACode()
    {
        using var http = _server.Client();

        var response = await http.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "profile.read", environment = Development });

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("GH5011", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }
}
