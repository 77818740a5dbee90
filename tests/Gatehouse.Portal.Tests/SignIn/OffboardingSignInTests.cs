using System.Net;
using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Demo;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>
/// A person removed from the organisation file loses the portal at her next request, however she
/// signed in: a session from a token, the demo picker, or a trusted proxy's header (ADR 0011).
/// </summary>
public class OffboardingSignInTests
{
    private static readonly Actor Bootstrap = new(ActorKind.Bootstrap, "bootstrap");

    /// <summary>The example organisation without erin (commerce), carol (web) and grace (payments).</summary>
    private static async Task RemoveErinCarolAndGraceAsync(PortalServer server)
    {
        var text = DemoOrganisation.Organisation.Content
            .Replace("members: [erin, frank, olivia]", "members: [frank, olivia]", StringComparison.Ordinal)
            .Replace("members: [carol, dave, trent]", "members: [dave, trent]", StringComparison.Ordinal)
            .Replace("members: [grace, heidi, ivan]", "members: [heidi, ivan]", StringComparison.Ordinal);
        var organisation = ManifestReader.ReadOrganisation("gatehouse.org.yaml", Encoding.UTF8.GetBytes(text)).Value!;
        var pushed = await server.Store.PushOrganisationAsync(organisation, text, Bootstrap, null);
        Assert.Equal(["carol", "erin", "grace"], pushed.Value!.Offboarding!.RemovedUsers);
    }

    [Fact]
    public async Task Token_sessions_demo_picker_sessions_and_proxy_identities_end_at_the_next_request()
    {
        await using var server = await PortalServer.StartAsync(true, "--GATEHOUSE_TRUSTED_HEADER=X-Forwarded-User", "--GATEHOUSE_TRUSTED_PROXY=127.0.0.1");
        using var byToken = server.Client();
        await byToken.SignInWithTokenAsync(server.TokenOf("erin"));
        using var byPicker = server.Client();
        var picked = await byPicker.PostAsync("/signin?handler=demo", new Dictionary<string, string> { ["user"] = "carol", ["returnUrl"] = "/" }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Redirect, picked.Status);
        using var byProxy = server.Client();
        var asGrace = new Dictionary<string, string> { ["X-Forwarded-User"] = "grace" };
        Assert.Equal(HttpStatusCode.OK, (await byToken.GetAsync("/inbox")).Status);
        Assert.Equal(HttpStatusCode.OK, (await byPicker.GetAsync("/inbox")).Status);
        Assert.Equal(HttpStatusCode.OK, (await byProxy.GetAsync("/inbox", asGrace)).Status);

        await RemoveErinCarolAndGraceAsync(server);

        var tokenPage = await byToken.GetAsync("/inbox");
        var pickerPage = await byPicker.GetAsync("/inbox");
        var proxyPage = await byProxy.GetAsync("/inbox", asGrace);
        Assert.Equal(HttpStatusCode.Redirect, tokenPage.Status);
        Assert.StartsWith("/signin", new Uri(server.Url, tokenPage.Location).PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, pickerPage.Status);
        Assert.Equal(HttpStatusCode.Forbidden, proxyPage.Status);
        Assert.Contains(Server.Portal.PortalErrors.ProxyUserUnknown, proxyPage.Html, StringComparison.Ordinal);

        // Nor can they come back in: the token was revoked by the push, the picker no longer lists them.
        using var again = server.Client();
        var signIn = await again.PostAsync("/signin?handler=token", new Dictionary<string, string> { ["token"] = server.TokenOf("erin") }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.Status);
        var names = (await again.GetAsync("/signin")).Document.QuerySelectorAll("button[name=user]").Select(b => b.GetAttribute("value")).ToList();
        Assert.DoesNotContain("carol", names);
        var repick = await again.PostAsync("/signin?handler=demo", new Dictionary<string, string> { ["user"] = "carol" }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Unauthorized, repick.Status);
    }
}
