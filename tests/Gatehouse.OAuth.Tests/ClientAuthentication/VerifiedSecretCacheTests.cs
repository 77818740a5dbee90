using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.ClientAuthentication;

/// <summary>
/// The token endpoint remembers a client secret that verified (as its digest, at the store's change
/// version): the remembered verification never outlives a rotation or a revocation, and never
/// admits another secret.
/// </summary>
public sealed class VerifiedSecretCacheTests : IAsyncLifetime
{
    private const string Scope = "scope=customers:profile.read";
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A client whose secret has verified twice: the second time from what was remembered.</summary>
    private async Task<(string Id, string Secret)> RememberedClientAsync()
    {
        var (id, secret) = await _server.CreateClientAsync("billing", Development);
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, secret!), Scope)).Status);
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, secret!), Scope)).Status);
        Assert.True(_server.Services.GetRequiredService<ClientAuthenticator>().VerifiedSecrets >= 1);
        return (id, secret!);
    }

    [Fact]
    public async Task RotatedWithoutOverlap_TheRememberedSecretIsRefusedAtOnce()
    {
        var (id, old) = await RememberedClientAsync();
        using var http = _server.Client(await _server.PersonalTokenAsync("alice"));

        var rotated = await http.PostAsJsonAsync($"api/v1/clients/{id}/rotate-secret", new { overlapHours = 0 });

        Assert.Equal(200, (int)rotated.StatusCode);
        var refused = await TokenClient.TokenAsync(_server, (id, old), Scope);
        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_client", refused.Error);
        var fresh = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["clientSecret"]!.GetValue<string>();
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, fresh), Scope)).Status);
        Assert.Equal(401, (await TokenClient.TokenAsync(_server, (id, old), Scope)).Status);
    }

    [Fact]
    public async Task RevokedClient_IsRefusedAtOnce()
    {
        var (id, secret) = await RememberedClientAsync();
        using var admin = _server.Client();

        Assert.True((await admin.PostAsync($"api/v1/clients/{id}/revoke", null)).IsSuccessStatusCode);

        var refused = await TokenClient.TokenAsync(_server, (id, secret), Scope);
        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_client", refused.Error);
    }

    [Fact]
    public async Task ARememberedClient_StillRefusesAnyOtherSecret()
    {
        var (id, secret) = await RememberedClientAsync();
        var (_, otherClientsSecret) = await _server.CreateClientAsync("billing", Development);

        foreach (var wrong in new[] { otherClientsSecret!, secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'), secret + "x" })
        {
            Assert.Equal(401, (await TokenClient.TokenAsync(_server, (id, wrong), Scope)).Status);
        }

        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, secret), Scope)).Status);
    }
}
