using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Clients;

/// <summary>
/// Rotating a client secret with overlap (ADR 0018): the new secret is shown once, the old one
/// keeps working until the stated time and not a moment after, and only the app's managers may rotate.
/// </summary>
public sealed class ClientSecretRotationTests : IAsyncLifetime
{
    private const string Scope = "scope=customers:profile.read";
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Status, JsonNode Body)> RotateAsync(string bearer, string id, object body)
    {
        using var http = _server.Client(bearer);
        var response = await http.PostAsJsonAsync($"api/v1/clients/{id}/rotate-secret", body);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task An_owner_rotates_with_overlap_and_both_secrets_work_until_the_stated_time()
    {
        var (id, old) = await _server.CreateClientAsync("billing", Development);
        var alice = await _server.PersonalTokenAsync("alice");

        var (status, body) = await RotateAsync(alice, id, new { overlapHours = 2 });

        Assert.Equal(200, status);
        var secret = body["clientSecret"]!.GetValue<string>();
        Assert.StartsWith("gthc_", secret);
        Assert.NotEqual(old, secret);
        var until = body["previousSecretValidUntil"]!.GetValue<DateTimeOffset>();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, secret), Scope)).Status);
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, old!), Scope)).Status);

        using var http = _server.Client(alice);
        var shown = await http.GetStringAsync($"api/v1/clients/{id}") + await http.GetStringAsync("api/v1/clients?app=billing");
        Assert.DoesNotContain(secret, shown);
        Assert.DoesNotContain(old!, shown);
        Assert.Contains("previousSecretValidUntil", shown);
        var audit = await _server.Store.ReadAuditAsync(new AuditQuery(Action: "client.secret_rotated"));
        Assert.Equal("user:alice", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task After_the_overlap_the_old_secret_is_refused_and_the_new_one_works()
    {
        var (id, old) = await _server.CreateClientAsync("billing", Development);
        var (secret, hash) = NewSecret();

        // The overlap as the store keeps it, already over: the token endpoint must compare the time.
        var oauth = _server.Services.GetRequiredService<IOAuthStore>();
        Assert.True(await oauth.RotateClientSecretAsync(id, hash, DateTimeOffset.UtcNow.AddSeconds(-1), "user:alice", null));

        var refused = await TokenClient.TokenAsync(_server, (id, old!), Scope);
        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_client", refused.Error);
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, secret), Scope)).Status);
    }

    [Fact]
    public async Task Without_overlap_the_old_secret_stops_at_once()
    {
        var (id, old) = await _server.CreateClientAsync("billing", Development);

        var (status, body) = await RotateAsync(await _server.PersonalTokenAsync("alice"), id, new { overlapHours = 0 });

        Assert.Equal(200, status);
        Assert.Null(body["previousSecretValidUntil"]);
        Assert.Equal("invalid_client", (await TokenClient.TokenAsync(_server, (id, old!), Scope)).Error);
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, body["clientSecret"]!.GetValue<string>()), Scope)).Status);
    }

    [Fact]
    public async Task A_non_owner_cannot_rotate_another_apps_secret_and_nothing_changes()
    {
        var (id, old) = await _server.CreateClientAsync("billing", Development);

        var (status, body) = await RotateAsync(await _server.PersonalTokenAsync("carol"), id, new { overlapHours = 0 });

        Assert.Equal(403, status);
        Assert.Equal("GH5003", body["code"]!.GetValue<string>());
        Assert.Equal(200, (await TokenClient.TokenAsync(_server, (id, old!), Scope)).Status);
    }

    [Fact]
    public async Task A_key_client_has_no_secret_to_rotate_and_the_overlap_is_bounded()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (keyClient, _) = await _server.CreateClientAsync("billing", Development, Jwt.PublicJwk(key));
        var (secretClient, _) = await _server.CreateClientAsync("billing", Development);
        var alice = await _server.PersonalTokenAsync("alice");

        var (keyStatus, keyBody) = await RotateAsync(alice, keyClient, new { overlapHours = 1 });
        var (longStatus, longBody) = await RotateAsync(alice, secretClient, new { overlapHours = 721 });

        Assert.Equal(409, keyStatus);
        Assert.Equal("GH5012", keyBody["code"]!.GetValue<string>());
        Assert.Equal(400, longStatus);
        Assert.Equal("GH5013", longBody["code"]!.GetValue<string>());
    }

    private static (string Secret, string Hash) NewSecret()
    {
        var secret = Gatehouse.Core.Secrets.SecretFormat.New(Gatehouse.Core.Secrets.SecretKind.ClientSecret);
        return (secret, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))));
    }
}
