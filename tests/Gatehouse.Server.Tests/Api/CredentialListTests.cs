using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Api;

/// <summary>
/// Least privilege on reads of credentials (ADR 0011): GET /api/v1/tokens and /api/v1/clients show a
/// person her own tokens, what she created and her apps' credentials; admins see all; a deploy
/// token sees its own app's.
/// </summary>
public sealed class CredentialListTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly Dictionary<string, string> _secrets = [];
    private readonly Dictionary<string, string> _ids = [];

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        using (var bootstrap = _server.Client())
        {
            var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org } });
            Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        }

        foreach (var user in new[] { "root", "alice", "carol", "sam" })
        {
            _secrets[user] = await _server.TokenForAsync(user);
        }

        using var root = _server.Client(_secrets["root"]);
        var manifests = await root.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
        Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());

        // alice (payments) owns billing, carol (people) owns customers, sam (shop) owns shop.
        await CreateTokenAsync("billing-ci", "alice", "billing");
        await CreateTokenAsync("customers-ci", "carol", "customers");
        await CreateTokenAsync("shop-ci", "root", "shop");
        await CreateClientAsync("billing-client", "alice", "billing");
        await CreateClientAsync("customers-client", "carol", "customers");
        await CreateClientAsync("shop-client", "root", "shop");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task CreateTokenAsync(string name, string by, string app)
    {
        using var client = _server.Client(_secrets[by]);
        var json = await TestServer.Json(await client.PostAsJsonAsync("api/v1/tokens", new { kind = "deploy", subject = app }));
        _secrets[name] = json["secret"]!.GetValue<string>();
        _ids[json["id"]!.GetValue<string>()] = name;
    }

    private async Task CreateClientAsync(string name, string by, string app)
    {
        using var client = _server.Client(_secrets[by]);
        var response = await client.PostAsJsonAsync("api/v1/clients", new { app, environment = "production" });
        var json = await TestServer.Json(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        _ids[json["client"]!["id"]!.GetValue<string>()] = name;
    }

    private async Task<IReadOnlyList<string>> ListAsync(string caller, string path, string property)
    {
        using var client = _server.Client(caller == "bootstrap" ? TestServer.BootstrapToken : _secrets[caller]);
        var response = await client.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        return [.. (await TestServer.Json(response))[property]!.AsArray()
            .Select(t => _ids.GetValueOrDefault(t!["id"]!.GetValue<string>()) ?? $"personal:{t["subject"]!["name"]}")
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("alice", "billing-ci personal:alice")]
    [InlineData("carol", "customers-ci personal:carol")]
    [InlineData("sam", "personal:sam shop-ci")]
    [InlineData("billing-ci", "billing-ci")]
    [InlineData("root", "billing-ci customers-ci personal:alice personal:carol personal:root personal:sam shop-ci")]
    [InlineData("bootstrap", "billing-ci customers-ci personal:alice personal:carol personal:root personal:sam shop-ci")]
    public async Task The_token_list_shows_each_caller_only_what_is_theirs(string caller, string expected)
    {
        Assert.Equal(expected.Split(' '), await ListAsync(caller, "api/v1/tokens", "tokens"));
    }

    [Theory]
    [InlineData("alice", "billing-client")]
    [InlineData("carol", "customers-client")]
    [InlineData("sam", "shop-client")]
    [InlineData("customers-ci", "customers-client")]
    [InlineData("root", "billing-client customers-client shop-client")]
    [InlineData("bootstrap", "billing-client customers-client shop-client")]
    public async Task The_client_list_shows_each_caller_only_what_is_theirs(string caller, string expected)
    {
        Assert.Equal(expected.Split(' '), await ListAsync(caller, "api/v1/clients", "clients"));
    }

    [Fact]
    public async Task Asking_for_another_apps_clients_by_app_or_by_id_shows_nothing()
    {
        var customersClient = _ids.Single(p => p.Value == "customers-client").Key;

        Assert.Empty(await ListAsync("alice", "api/v1/clients?app=customers", "clients"));
        Assert.Empty(await ListAsync("billing-ci", "api/v1/clients?app=customers", "clients"));
        foreach (var caller in new[] { "alice", "billing-ci" })
        {
            using var client = _server.Client(_secrets[caller]);
            using var response = await client.GetAsync($"api/v1/clients/{customersClient}");
            Assert.Equal(404, (int)response.StatusCode);
            Assert.Equal("GH5006", (await TestServer.Json(response))["code"]!.GetValue<string>());
        }

        using var carol = _server.Client(_secrets["carol"]);
        Assert.Equal(200, (int)(await carol.GetAsync($"api/v1/clients/{customersClient}")).StatusCode);
    }

    [Fact]
    public async Task Whoever_created_a_credential_keeps_seeing_it_after_leaving_the_apps_team()
    {
        // alice moves from payments to shop: she no longer owns billing, but created billing-ci and billing-client.
        var moved = TestOrganisation.Org
            .Replace("members: [alice, paul]", "members: [paul]", StringComparison.Ordinal)
            .Replace("members: [sam]", "members: [sam, alice]", StringComparison.Ordinal);
        using var root = _server.Client(_secrets["root"]);
        var pushed = await root.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = moved } });
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        await CreateTokenAsync("billing-ci-2", "root", "billing");

        Assert.Equal(["billing-ci", "personal:alice", "shop-ci"], await ListAsync("alice", "api/v1/tokens", "tokens"));
        Assert.Equal(["billing-client", "shop-client"], await ListAsync("alice", "api/v1/clients", "clients"));
    }
}
