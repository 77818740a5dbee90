using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Clients;

/// <summary>Who may create and revoke clients, and that a secret is shown once and never again.</summary>
public sealed class ClientApiTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Status, JsonNode Body)> CreateAsync(string bearer, object body)
    {
        using var http = _server.Client(bearer);
        var response = await http.PostAsJsonAsync("api/v1/clients", body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    [Fact]
    public async Task OwnerOfTheApp_CreatesAClient_AndTheSecretIsShownOnlyOnce()
    {
        var carol = await _server.PersonalTokenAsync("carol");

        var (status, body) = await CreateAsync(carol, new { app = "customers", environment = Production });

        Assert.Equal(201, status);
        var id = body["client"]!["id"]!.GetValue<string>();
        var secret = body["clientSecret"]!.GetValue<string>();
        Assert.StartsWith("gthc_", secret);
        Assert.Equal("user:carol", body["client"]!["createdBy"]!.GetValue<string>());
        using var http = _server.Client(carol);
        var listed = await http.GetStringAsync("api/v1/clients?app=customers");
        var single = await http.GetStringAsync("api/v1/clients/" + id);
        Assert.Contains(id, listed);
        Assert.DoesNotContain(secret, listed + single);
        Assert.DoesNotContain("secretHash", listed + single, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UserWhoIsNotAnOwner_IsForbidden()
    {
        var alice = await _server.PersonalTokenAsync("alice");

        var (status, body) = await CreateAsync(alice, new { app = "customers", environment = Production });

        Assert.Equal(403, status);
        Assert.Equal("GH5003", body["code"]!.GetValue<string>());
        Assert.Contains("carol", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeployTokenOfTheApp_MayCreate_ButNotForAnotherApp()
    {
        var deploy = await _server.DeployTokenAsync("billing");

        Assert.Equal(201, (await CreateAsync(deploy, new { app = "billing", environment = Development })).Status);
        Assert.Equal(403, (await CreateAsync(deploy, new { app = "customers", environment = Development })).Status);
    }

    [Fact]
    public async Task BootstrapToken_CreatesNoClientsOrKeys()
    {
        var (status, body) = await CreateAsync(OAuthTestServer.BootstrapToken, new { app = "billing", environment = Development });
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (keyClient, _) = await _server.CreateClientAsync("billing", Development, Jwt.PublicJwk(first));
        using var bootstrap = _server.Client();
        var key = await bootstrap.PostAsJsonAsync($"api/v1/clients/{keyClient}/keys", new { jwk = Jwt.PublicJwk(second) });

        Assert.Equal((403, "GH4127"), (status, body["code"]!.GetValue<string>()));
        Assert.Contains("admin", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(403, (int)key.StatusCode);
        Assert.Equal("GH4127", JsonNode.Parse(await key.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownEnvironmentOrApp_AreRefusedWithCodes()
    {
        var admin = await _server.AdminTokenAsync();
        var (envStatus, envBody) = await CreateAsync(admin, new { app = "billing", environment = "moon" });
        var (appStatus, appBody) = await CreateAsync(admin, new { app = "nope", environment = Development });

        Assert.Equal((422, "GH5002"), (envStatus, envBody["code"]!.GetValue<string>()));
        Assert.Equal((404, "GH5001"), (appStatus, appBody["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PrivateKeyInTheJwk_IsRefused()
    {
        var (status, body) = await CreateAsync(await _server.AdminTokenAsync(), new
        {
            app = "billing",
            environment = Development,
            authMethod = "private_key_jwt",
            jwk = new { kty = "EC", crv = "P-256", x = "AAAA", y = "AAAA", d = "AAAA" },
        });

        Assert.Equal(422, status);
        Assert.Contains("private member", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatingAndRevokingAClient_AreAuditEvents_WithoutTheSecret()
    {
        var (id, secret) = await _server.CreateClientAsync("billing", Development);
        using var admin = _server.Client();
        Assert.True((await admin.PostAsync($"api/v1/clients/{id}/revoke", null)).IsSuccessStatusCode);
        Assert.Equal(409, (int)(await admin.PostAsync($"api/v1/clients/{id}/revoke", null)).StatusCode);

        var audit = await admin.GetStringAsync("api/v1/audit?app=billing");

        Assert.Contains("client.created", audit);
        Assert.Contains("client.revoked", audit);
        Assert.Contains("client/" + id, audit);
        Assert.DoesNotContain(secret!, audit);
    }
}
