using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Discovery;

/// <summary>
/// The issuer is configuration, never the caller's Host header (issue 9, RFC 7523 section 3):
/// metadata, token <c>iss</c> and the audiences an assertion may name all come from the public URL.
/// </summary>
public sealed class IssuerTests
{
    private const string PublicUrl = "https://gatehouse.test";
    private const string Forged = "evil.example";

    [Fact]
    public async Task ForgedHost_GetsTheConfiguredIssuer_InMetadataAndTokens()
    {
        // Any host let through, so the request reaches the endpoints with the forged name.
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_PUBLIC_URL=" + PublicUrl, "--GATEHOUSE_ALLOWED_HOSTS=*");
        var (id, secret) = await server.CreateClientAsync("billing", Development);

        var metadata = JsonNode.Parse(await (await SendAsync(server, HttpMethod.Get, ".well-known/oauth-authorization-server", Forged)).Content.ReadAsStringAsync())!;
        var token = await SendAsync(server, HttpMethod.Post, "oauth2/token", Forged, "grant_type=client_credentials&audience=customers", TokenClient.BasicValue(id, secret!));

        Assert.Equal(PublicUrl, metadata["issuer"]!.GetValue<string>());
        Assert.Equal(PublicUrl + "/oauth2/token", metadata["token_endpoint"]!.GetValue<string>());
        Assert.Equal(200, (int)token.StatusCode);
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        Assert.Equal(PublicUrl, Jwt.Payload(accessToken)["iss"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientAssertion_ForTheForgedHost_IsRejected_AndForTheIssuer_Accepted()
    {
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_PUBLIC_URL=" + PublicUrl, "--GATEHOUSE_ALLOWED_HOSTS=*");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (id, _) = await server.CreateClientAsync("billing", Development, Jwt.PublicJwk(key));
        string Form(string audience) => TokenClient.Form(("grant_type", "client_credentials"), ("audience", "customers"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", Jwt.Assertion(key, id, audience)));

        var forged = await SendAsync(server, HttpMethod.Post, "oauth2/token", Forged, Form($"http://{Forged}/oauth2/token"));
        var genuine = await SendAsync(server, HttpMethod.Post, "oauth2/token", Forged, Form(PublicUrl + "/oauth2/token"));

        Assert.Equal(401, (int)forged.StatusCode);
        Assert.Contains("invalid_client", await forged.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)genuine.StatusCode);
    }

    [Fact]
    public async Task WithoutAPublicUrl_TheIssuerIsTheListenAddress_AndAForgedHostIsRefused()
    {
        // The test harness listens on 127.0.0.1 with a random port and sets no public URL: the
        // issuer is derived from the bound address at start (and logged as such), not per request.
        await using var server = await OAuthTestServer.StartAsync();

        var refused = await SendAsync(server, HttpMethod.Get, ".well-known/oauth-authorization-server", Forged);
        var viaLocalhost = await SendAsync(server, HttpMethod.Get, ".well-known/oauth-authorization-server", "localhost:" + new Uri(server.Issuer).Port);

        Assert.Equal(400, (int)refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("GH4005", problem["code"]!.GetValue<string>());
        Assert.Contains(server.Issuer, problem["detail"]!.GetValue<string>());
        Assert.Equal(200, (int)viaLocalhost.StatusCode);
        Assert.Equal(server.Issuer, JsonNode.Parse(await viaLocalhost.Content.ReadAsStringAsync())!["issuer"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProbeRoutes_AnswerWhateverTheHost()
    {
        await using var server = await OAuthTestServer.StartAsync("--GATEHOUSE_PUBLIC_URL=" + PublicUrl);

        Assert.Equal(200, (int)(await SendAsync(server, HttpMethod.Get, "healthz", "10.1.2.3:8080")).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(server, HttpMethod.Get, "metrics", "10.1.2.3:8080")).StatusCode);
        Assert.Equal(400, (int)(await SendAsync(server, HttpMethod.Get, "oauth2/jwks", "10.1.2.3:8080")).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(server, HttpMethod.Get, "oauth2/jwks", "gatehouse.test")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(OAuthTestServer server, HttpMethod method, string path, string host, string? form = null, string? basic = null)
    {
        using var http = server.Client(bearer: null);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        if (basic is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
