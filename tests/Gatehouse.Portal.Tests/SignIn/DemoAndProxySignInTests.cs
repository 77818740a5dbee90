using System.Net;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>The demo picker and identity from a trusted reverse proxy, each on a server configured for it.</summary>
public class DemoAndProxySignInTests
{
    [Fact]
    public async Task In_demo_mode_a_person_picks_a_demo_user_and_is_signed_in_as_her()
    {
        await using var server = await PortalServer.StartAsync(demo: true);
        using var client = server.Client();

        var signin = await client.GetAsync("/signin");
        var names = signin.Document.QuerySelectorAll("button[name=user]").Select(b => b.GetAttribute("value")).ToList();
        Assert.Equal(server.Users.Order(StringComparer.Ordinal), names);
        var page = await client.PostAsync("/signin?handler=demo", new Dictionary<string, string> { ["user"] = "carol", ["returnUrl"] = "/" }, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        var home = await client.GetAsync("/");
        Assert.Contains("carol", home.Document.QuerySelector("header .who")!.TextContent);
        Assert.Contains("Demo mode", home.Text);
    }

    [Fact]
    public async Task A_trusted_proxy_header_signs_the_user_in_only_from_the_proxy_address()
    {
        await using var trusted = await PortalServer.StartAsync(false, "--GATEHOUSE_TRUSTED_HEADER=X-Forwarded-User", "--GATEHOUSE_TRUSTED_PROXY=127.0.0.1");
        using var viaProxy = trusted.Client();
        var page = await viaProxy.GetAsync("/inbox", new Dictionary<string, string> { ["X-Forwarded-User"] = "grace" });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("grace", page.Document.QuerySelector("header .who")!.TextContent);

        var stranger = await viaProxy.GetAsync("/", new Dictionary<string, string> { ["X-Forwarded-User"] = "mallory" });
        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);

        await using var elsewhere = await PortalServer.StartAsync(false, "--GATEHOUSE_TRUSTED_HEADER=X-Forwarded-User", "--GATEHOUSE_TRUSTED_PROXY=10.20.30.40");
        using var direct = elsewhere.Client();
        var ignored = await direct.GetAsync("/inbox", new Dictionary<string, string> { ["X-Forwarded-User"] = "grace" });
        Assert.Equal(HttpStatusCode.Redirect, ignored.Status);
    }

    [Fact]
    public async Task A_trusted_header_without_a_proxy_address_stops_the_server_from_starting()
    {
        var e = await Assert.ThrowsAsync<ConfigurationProblemException>(() => PortalServer.StartAsync(false, "--GATEHOUSE_TRUSTED_HEADER=X-Forwarded-User"));

        Assert.Contains("GATEHOUSE_TRUSTED_PROXY", e.Message);
    }

    [Fact]
    public async Task The_api_never_accepts_the_proxy_header()
    {
        await using var server = await PortalServer.StartAsync(false, "--GATEHOUSE_TRUSTED_HEADER=X-Forwarded-User", "--GATEHOUSE_TRUSTED_PROXY=127.0.0.1");
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-Forwarded-User", "alice");

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.20.30.40", false)]
    public async Task Behind_a_proxy_that_terminates_tls_the_cookie_is_secure_only_if_the_proxy_is_trusted(string proxy, bool secure)
    {
        await using var server = await PortalServer.StartAsync(false, $"--GATEHOUSE_TRUSTED_PROXY={proxy}");
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Url };

        // Cookies by hand: a cookie marked Secure would not be sent back over this plain-HTTP test connection.
        using var get = new HttpRequestMessage(HttpMethod.Get, "/signin") { Headers = { { "X-Forwarded-Proto", "https" } } };
        using var signin = await http.SendAsync(get);
        var antiforgeryCookie = signin.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gatehouse.antiforgery=", StringComparison.Ordinal));
        var page = await PortalClient.Page.ReadAsync(signin);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin?handler=token")
        {
            Headers = { { "X-Forwarded-Proto", "https" }, { "Cookie", antiforgeryCookie.Split(';')[0] } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = server.TokenOf("erin"), ["__RequestVerificationToken"] = page.AntiforgeryToken() }),
        };
        using var signedIn = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gatehouse.session=", StringComparison.Ordinal));
        Assert.Equal(secure, session.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(secure, antiforgeryCookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
