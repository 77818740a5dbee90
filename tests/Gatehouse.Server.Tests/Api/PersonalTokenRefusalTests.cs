using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Api;

/// <summary>The issue 10 review: over the API a person neither lists nor revokes another person's personal token.</summary>
public sealed class PersonalTokenRefusalTests
{
    [Fact]
    public async Task A_person_cannot_revoke_or_list_another_persons_personal_token()
    {
        await using var server = await TestServer.StartAsync();
        await server.SeedAsync();
        using var bootstrap = server.Client();
        var created = await TestServer.Json(await bootstrap.PostAsJsonAsync("api/v1/tokens", new { kind = "personal", subject = "alice" }));
        var alicesId = created["id"]!.GetValue<string>();
        using var carol = server.Client(await server.TokenForAsync("carol"));

        var list = await TestServer.Json(await carol.GetAsync("api/v1/tokens"));
        var revoke = await carol.PostAsync($"api/v1/tokens/{alicesId}/revoke", null);

        Assert.DoesNotContain(list["tokens"]!.AsArray(), t => t!["id"]!.GetValue<string>() == alicesId);
        Assert.Equal(403, (int)revoke.StatusCode);
        Assert.Equal("GH5102", (await TestServer.Json(revoke))["code"]!.GetValue<string>());
        using var alice = server.Client(created["secret"]!.GetValue<string>());
        Assert.Equal(200, (int)(await alice.GetAsync("api/v1/tokens")).StatusCode); // still live
    }
}
