using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Introspection;

/// <summary>When the database breaks under a running server, nothing is allowed: no token, inactive, deny.</summary>
public sealed class FailClosedTests
{
    [Fact]
    public async Task BrokenDatabase_DeniesDecisions_ReportsTokensInactive_AndIssuesNoToken()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var (billingId, billingSecret) = await server.CreateClientAsync("billing", Development);
        var (customersId, customersSecret) = await server.CreateClientAsync("customers", Development);
        var token = (await TokenClient.TokenAsync(server, (billingId, billingSecret!), "scope=customers:profile.read")).AccessToken;

        // The tables the answers depend on disappear (as with a botched restore or migration).
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "gatehouse.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "ALTER TABLE audit_head RENAME TO audit_head_gone; ALTER TABLE grants RENAME TO grants_gone;";
            await command.ExecuteNonQueryAsync();
        }

        // A change made behind Gatehouse's back signals nothing: the server notices it when the
        // version it knows is older than the bound (ADR 0033), and from then on fails closed.
        await Task.Delay(Gatehouse.Storage.IGatehouseStore.MaxKnownVersionAge + TimeSpan.FromMilliseconds(100));

        using var http = server.Client();
        var decision = JsonNode.Parse(await (await http.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = Development })).Content.ReadAsStringAsync())!;
        Assert.False(decision["allow"]!.GetValue<bool>());
        Assert.Equal("error", decision["state"]!.GetValue<string>());

        var introspection = await TokenClient.IntrospectAsync(server, (customersId, customersSecret!), token);
        Assert.False(introspection.Body["active"]?.GetValue<bool>() ?? false);

        var refused = await TokenClient.TokenAsync(server, (billingId, billingSecret!), "scope=customers:profile.read");
        Assert.NotEqual(200, refused.Status);
        Assert.Null(refused.Body["access_token"]);
    }
}
