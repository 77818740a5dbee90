using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Workflow;

public sealed class IdempotencyAndSecretsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RetriedApproval_WithSameIdempotencyKey_IsReplayed_NotDecidedTwice()
    {
        using var admin = _server.Client();
        var requests = await TestServer.Json(await admin.GetAsync("api/v1/requests?consumer=billing&env=production&state=pending"));
        var id = requests["requests"]![0]!["id"]!.GetValue<long>();
        using var carol = _server.Client(await _server.TokenForAsync("carol"));

        HttpRequestMessage Approve(string comment) => new(HttpMethod.Post, $"api/v1/requests/{id}/approve")
        {
            Content = JsonContent.Create(new { comment }),
            Headers = { { "Idempotency-Key", "ci-run-7-approve" } },
        };

        var first = await carol.SendAsync(Approve("ship it"));
        var retry = await carol.SendAsync(Approve("ship it"));
        var different = await carol.SendAsync(Approve("another text"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(422, (int)different.StatusCode);
        var audit = await TestServer.Json(await admin.GetAsync($"api/v1/audit?action=request.approved&limit=1000"));
        Assert.Single(audit["events"]!.AsArray(), e => e!["subject"]!.GetValue<string>().Contains($"request/{id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenSecret_IsShownOnce_AndNeverListedOrAudited()
    {
        var secret = await _server.TokenForAsync("alice");
        using var admin = _server.Client();

        var tokens = await (await admin.GetAsync("api/v1/tokens")).Content.ReadAsStringAsync();
        var audit = await (await admin.GetAsync("api/v1/audit?limit=1000")).Content.ReadAsStringAsync();

        Assert.Contains("alice", tokens);
        Assert.DoesNotContain(secret, tokens);
        Assert.DoesNotContain(secret, audit);
        Assert.DoesNotContain("\"secret\"", tokens);
        var dbBytes = string.Concat(Directory.GetFiles(_server.DataDirectory).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
        Assert.DoesNotContain(secret, dbBytes);
    }

    [Fact]
    public async Task RevokedToken_NoLongerAuthenticates()
    {
        var secret = await _server.TokenForAsync("alice");
        using var alice = _server.Client(secret);
        var me = await TestServer.Json(await alice.GetAsync("api/v1/me"));
        using var admin = _server.Client();
        var tokens = await TestServer.Json(await admin.GetAsync("api/v1/tokens"));
        var id = tokens["tokens"]!.AsArray().Last(t => t!["subject"]!["name"]!.GetValue<string>() == "alice")!["id"]!.GetValue<string>();

        var revoke = await admin.PostAsync($"api/v1/tokens/{id}/revoke", null);
        var after = await alice.GetAsync("api/v1/me");

        Assert.Equal("user:alice", me["actor"]!.GetValue<string>());
        Assert.Equal(200, (int)revoke.StatusCode);
        Assert.Equal(401, (int)after.StatusCode);
    }

    [Fact]
    public async Task UserToken_CannotCreateATokenForSomeoneElse()
    {
        using var alice = _server.Client(await _server.TokenForAsync("alice"));

        var response = await alice.PostAsJsonAsync("api/v1/tokens", new { kind = "personal", subject = "carol" });

        Assert.Equal(403, (int)response.StatusCode);
    }
}
