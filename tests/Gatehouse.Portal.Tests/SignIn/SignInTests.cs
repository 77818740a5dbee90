using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal;
using Gatehouse.Storage;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>Signing in with a personal token, the session cookie, and what the cookie does not open.</summary>
public class SignInTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    private PortalServer Server => fixture.Server;

    [Fact]
    public async Task A_personal_token_opens_a_session_whose_cookie_is_http_only_lax_and_holds_no_token()
    {
        using var client = Server.Client();
        var token = Server.TokenOf("erin");
        var form = new Dictionary<string, string> { ["token"] = token, ["returnUrl"] = "/inbox" };

        var signedIn = await client.PostAsync("/signin?handler=token", form, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal("/inbox", signedIn.Location);
        var setCookie = signedIn.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gatehouse.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, setCookie);
        Assert.DoesNotContain(token[4..20], setCookie);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/inbox")).Status);
    }

    [Theory]
    [InlineData("ghp_this-is-not-a-token-of-this-server-at-all")]
    [InlineData("")]
    public async Task An_unknown_token_is_refused_with_a_message_and_no_session(string token)
    {
        using var client = Server.Client();
        var page = await client.PostAsync("/signin?handler=token", new Dictionary<string, string> { ["token"] = token }, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Contains(PortalErrors.TokenUnknown, page.Document.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Status);
    }

    [Fact]
    public async Task A_deploy_token_belongs_to_an_app_and_cannot_sign_a_person_in()
    {
        var admin = new Actor(ActorKind.User, "alice");
        var deploy = await Server.Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "billing"), DateTimeOffset.UtcNow.AddDays(1), "ci", admin, null);
        using var client = Server.Client();

        var page = await client.PostAsync("/signin?handler=token", new Dictionary<string, string> { ["token"] = deploy.Value!.Secret }, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Contains(PortalErrors.DeployTokenSignIn, page.Text);
    }

    [Fact]
    public async Task Revoking_the_token_ends_the_session_opened_with_it_at_the_next_request()
    {
        var admin = new Actor(ActorKind.Bootstrap, "bootstrap");
        var issued = (await Server.Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "frank"), DateTimeOffset.UtcNow.AddDays(1), "laptop", admin, null)).Value!;
        using var client = Server.Client();
        await client.SignInWithTokenAsync(issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Status);

        Assert.True((await Server.Store.RevokeTokenAsync(issued.Info.Id, admin, null)).Succeeded);

        // Not after a re-check minutes later: the very next page asks for a sign-in, and signing in again is refused.
        var next = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, next.Status);
        Assert.Contains("/signin", next.Location, StringComparison.Ordinal);
        using var again = Server.Client();
        var page = await again.PostAsync("/signin?handler=token", new Dictionary<string, string> { ["token"] = issued.Secret }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
    }

    [Fact]
    public async Task The_portal_cookie_does_not_authenticate_the_api()
    {
        using var client = Server.Client();
        await client.SignInWithTokenAsync(Server.TokenOf("erin"));

        using var response = await client.Http.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_demo_picker_does_not_exist_outside_demo_mode()
    {
        using var client = Server.Client();
        var signin = await client.GetAsync("/signin");
        Assert.Empty(signin.Document.QuerySelectorAll("button[name=user]"));

        var page = await client.PostAsync("/signin?handler=demo", new Dictionary<string, string> { ["user"] = "alice" }, tokenFrom: "/signin");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Status);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var client = Server.Client();
        await client.SignInWithTokenAsync(Server.TokenOf("erin"));

        var page = await client.PostAsync("/signout", new Dictionary<string, string>(), tokenFrom: "/");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Status);
    }

    [Fact]
    public async Task A_return_address_off_this_site_is_not_followed()
    {
        using var client = Server.Client();
        var form = new Dictionary<string, string> { ["token"] = Server.TokenOf("erin"), ["returnUrl"] = "//evil.example/phish" };

        var page = await client.PostAsync("/signin?handler=token", form, tokenFrom: "/signin");

        Assert.Equal("/", page.Location);
    }
}
