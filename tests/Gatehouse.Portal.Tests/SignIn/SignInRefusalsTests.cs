using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Portal.Tests.Infrastructure;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>Inputs that made the portal throw (issue 9), and the sign-in rate limit.</summary>
[Collection(Gatehouse.Testing.PrometheusText.Collection)]
public sealed class SignInRefusalsTests
{
    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/inbox\u007f")]
    public async Task A_control_character_in_the_return_url_signs_in_to_the_dashboard_instead_of_throwing(string returnUrl)
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();

        var signedIn = await client.PostAsync("/signin?handler=token",
            new Dictionary<string, string> { ["token"] = server.TokenOf("erin"), ["returnUrl"] = returnUrl }, tokenFrom: "/signin");
        var page = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal("/", signedIn.Location);
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/", page.Location);
    }

    [Fact]
    public async Task A_bearer_token_on_a_portal_page_is_not_a_portal_session_and_leads_to_sign_in()
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();

        var page = await client.GetAsync("/apps", new Dictionary<string, string> { ["Authorization"] = "Bearer " + server.TokenOf("erin") });

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/signin", new Uri(server.Url, page.Location!).PathAndQuery);
    }

    [Fact]
    public async Task A_bearer_token_beside_a_session_leaves_the_session_in_charge()
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();
        await client.SignInWithTokenAsync(server.TokenOf("erin"));
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ghp_anything-at-all-0123456789");

        var page = await client.GetAsync("/apps");

        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address_with_retry_after()
    {
        await using var server = await PortalServer.StartAsync(false, "--GATEHOUSE_RATE_LIMIT_SIGNIN_ADDRESS=2/min");
        using var client = server.Client();
        var wrong = new Dictionary<string, string> { ["token"] = "ghp_wrong-token-0123456789abcdef" };
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        var before = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/signin?handler=token", wrong, tokenFrom: "/signin")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/signin?handler=token", wrong, tokenFrom: "/signin")).Status);
        var limited = await client.PostAsync("/signin?handler=token", wrong, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.NotNull(limited.Response.Headers.RetryAfter);
        Assert.Contains("GH4044", limited.Html);

        // Loading the page is not an attempt.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).Status);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        double Delta(string name, string label, string value) =>
            Gatehouse.Testing.PrometheusText.Value(metrics, name, (label, value)) - Gatehouse.Testing.PrometheusText.Value(before, name, (label, value));
        Assert.Equal(2, Delta("gatehouse_authentication_failures_total", "kind", "portal_sign_in"));
        Assert.Equal(1, Delta("gatehouse_rate_limited_total", "limit", "sign_in_address"));
    }
}
