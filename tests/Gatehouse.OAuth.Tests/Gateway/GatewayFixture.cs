using System.Net.Http.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.Gateway;
using Gatehouse.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>
/// The test organisation with routes on the customers app (profile.read: GET /profiles/{id},
/// profile.write: PUT /profiles/{id}, status.read: GET /status), a billing client in development
/// and its token: profile.read and status.read are granted, profile.write waits for two owners.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private static readonly SourceLocation At = new("test", 1, 1);

    private GatewayFixture(OAuthTestServer server, (string Id, string Secret) billing, string token)
    {
        Server = server;
        Billing = billing;
        Token = token;
    }

    public OAuthTestServer Server { get; }

    public (string Id, string Secret) Billing { get; }

    /// <summary>billing's token for customers in development: customers:profile.read customers:status.read.</summary>
    public string Token { get; }

    public string ForwardAuthUrl(string app = "customers", string environment = Development) => $"{Server.Issuer}/forward-auth/{app}/{environment}";

    public static async Task<GatewayFixture> StartAsync()
    {
        var server = await OAuthTestServer.StartAsync();
        try
        {
            await PushRoutesAsync(server.Store);
            var (id, secret) = await server.CreateClientAsync("billing", Development);
            var answer = await TokenClient.TokenAsync(server, (id, secret!), "audience=customers");
            Assert.Equal(200, answer.Status);
            return new GatewayFixture(server, (id, secret!), answer.AccessToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes forward-auth see the store now, as it does on its own within a second.</summary>
    public Task RefreshAsync() => Server.Services.GetRequiredService<GatewayState>().RefreshNowAsync(CancellationToken.None);

    public async Task RevokeGrantAsync(string scope)
    {
        var grant = await ActiveGrantAsync(Server.Store, "billing", "customers", scope, Development);
        Assert.True((await RevokeAsync(Server.Store, grant.Id)).Succeeded);
        await RefreshAsync();
    }

    public async Task RevokeClientAsync()
    {
        using var admin = Server.Client(await Server.AdminTokenAsync());
        var response = await admin.PostAsJsonAsync($"api/v1/clients/{Billing.Id}/revoke", new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await RefreshAsync();
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static async Task PushRoutesAsync(IGatehouseStore store)
    {
        var customers = new AppManifest("gatehouse/v1", "customers", "Customer profiles", [new OwnerRef(OwnerKind.Team, "people")],
            [
                Scope("profile.read", ApprovalMode.Owner, "GET /profiles/{id}"),
                Scope("profile.write", ApprovalMode.TwoOwners, "PUT /profiles/{id}"),
                Scope("status.read", ApprovalMode.Auto, "GET /status"),
            ], [], At);
        var result = await store.PushAsync([new ManifestUpload(customers, "customers v2 with routes")], new Actor(ActorKind.User, "root"), null);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    private static ScopeDeclaration Scope(string name, ApprovalMode approval, params string[] routes) =>
        new(name, null, approval, null, At) { Routes = routes };
}
