using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Api;

/// <summary>
/// docs/api/openapi.json is the API's committed contract: it must equal what the server serves.
/// After an intended API change, regenerate it with
/// <c>GATEHOUSE_UPDATE_OPENAPI=1 dotnet test tests/Gatehouse.Server.Tests --filter OpenApi</c>.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task CommittedOpenApiDocument_MatchesTheServedOne()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Client(token: null);
        var served = JsonNode.Parse(await anonymous.GetStringAsync("openapi/v1.json"))!;
        served.AsObject().Remove("servers"); // the random test port
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = RepositoryPaths.Combine("docs", "api", "openapi.json");

        if (Environment.GetEnvironmentVariable("GATEHOUSE_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), "docs/api/openapi.json is missing; regenerate it (see this test's summary)");
        Assert.True(text == await File.ReadAllTextAsync(path), "docs/api/openapi.json differs from the served document; regenerate it (see this test's summary) and review the diff");
        Assert.NotNull(served["paths"]!["/api/v1/check"]);
    }
}
