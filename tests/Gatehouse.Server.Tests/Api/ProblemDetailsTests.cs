using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Api;

/// <summary>
/// Every API error is Problem Details with a code a person can look up (issue 9): null list
/// elements, malformed JSON, wrong types, a body that is not JSON, a route that does not exist.
/// </summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
        _root = _server.Client(await _server.TokenForAsync("root"));
    }

    public async Task DisposeAsync()
    {
        _root.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("api/v1/push", """{"manifests":[null]}""", "GH4042", "manifests[0]")]
    [InlineData("api/v1/plan", """{"manifests":[{"path":"a/gatehouse.yaml"}]}""", "GH4042", "manifests[0]")]
    [InlineData("api/v1/push", """{"organisation":{"content":"x"}}""", "GH4042", "organisation")]
    [InlineData("api/v1/check", """{"environment":"development","needs":[null]}""", "GH4023", "needs[0]")]
    [InlineData("api/v1/decisions", """{"queries":[null]}""", "GH5011", "queries[0]")]
    public async Task NullListElement_Is400WithItsCode_NotA500(string path, string body, string code, string named)
    {
        var problem = await ProblemAsync(await PostAsync(path, body), 400, code);

        Assert.Contains(named, problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v1/push")]
    [InlineData("api/v1/check")]
    [InlineData("api/v1/decisions")]
    public async Task MalformedJson_Is400ProblemDetails_WithWhereItBroke(string path)
    {
        var problem = await ProblemAsync(await PostAsync(path, "{\n  \"environment\": \"development\",\n  bad"), 400, "GH4008");

        Assert.Contains("line 3", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v1/check", """{"environment":"development","needs":"billing"}""", "$.needs")]
    [InlineData("api/v1/push", """{"manifests":{"path":"x"}}""", "$.manifests")]
    [InlineData("api/v1/decisions", """{"queries":[{"app":["billing"]}]}""", "$.queries[0].app")]
    public async Task WrongType_Is400ProblemDetails_NamingThePath_WithoutDotNetTypeNames(string path, string body, string jsonPath)
    {
        var problem = await ProblemAsync(await PostAsync(path, body), 400, "GH4008");

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains(jsonPath, detail);
        Assert.DoesNotContain("Gatehouse.", detail);
        Assert.DoesNotContain("System.", detail);
    }

    [Fact]
    public async Task BodyThatIsNotJson_Is415ProblemDetails()
    {
        using var content = new StringContent("environment=development", Encoding.UTF8, "application/x-www-form-urlencoded");

        await ProblemAsync(await _root.PostAsync("api/v1/check", content), 415, "GH4009");
    }

    [Fact]
    public async Task MissingBody_Is400ProblemDetails()
    {
        using var content = new StringContent(string.Empty, Encoding.UTF8, "application/json");

        await ProblemAsync(await _root.PostAsync("api/v1/check", content), 400, "GH4009");
    }

    [Theory]
    [InlineData("GET", "api/v1/nothing-here", 404, "GH4006")]
    [InlineData("GET", "api/v2/apps", 404, "GH4006")]
    [InlineData("DELETE", "api/v1/apps", 405, "GH4007")]
    [InlineData("GET", "api/v1/push", 405, "GH4007")]
    public async Task UnknownApiRoute_IsProblemDetails(string method, string path, int status, string code)
    {
        var problem = await ProblemAsync(await _root.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), status, code);

        Assert.Contains("/openapi/v1.json", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownApiRoute_WithoutAToken_IsStillProblemDetails()
    {
        using var anonymous = _server.Client(token: null);

        await ProblemAsync(await anonymous.GetAsync("api/v1/nothing-here"), 404, "GH4006");
    }

    [Fact]
    public async Task Decisions_WithTheSameQueryTwice_AnswersBoth()
    {
        // Regression: a repeated query made the batch fail closed as an internal error.
        var query = new { app = "billing", scope = "customers:profile.read", environment = "development" };

        var response = await _root.PostAsJsonAsync("api/v1/decisions", new { queries = new[] { query, query } });

        var decisions = (await TestServer.Json(response))["decisions"]!.AsArray();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal("granted", d!["state"]!.GetValue<string>()));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _root.PostAsync(path, content);
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal("https://gatehouse.dev/docs/errors#" + code.ToLowerInvariant(), problem["type"]!.GetValue<string>());
        Assert.DoesNotContain("   at ", text);
        return problem;
    }
}
