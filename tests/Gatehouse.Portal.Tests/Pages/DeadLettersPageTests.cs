using System.Net;
using Gatehouse.Portal.Tests.Infrastructure;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The admin's notifications page (ADR 0019): counts and dead letters for admins, a refusal for everyone else.</summary>
public class DeadLettersPageTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    private PortalServer Server => fixture.Server;

    private async Task<string> UserAsync(bool admin)
    {
        foreach (var user in Server.Users.Order(StringComparer.Ordinal))
        {
            if (await Server.Store.GetUserAsync(user) is { } info && info.IsAdmin == admin)
            {
                return user;
            }
        }

        throw new InvalidOperationException("no such demo user");
    }

    [Fact]
    public async Task An_admin_sees_the_delivery_counts_and_a_person_who_is_not_admin_is_refused()
    {
        using var admin = Server.Client();
        await admin.SignInWithTokenAsync(Server.TokenOf(await UserAsync(admin: true)));
        using var person = Server.Client();
        await person.SignInWithTokenAsync(Server.TokenOf(await UserAsync(admin: false)));

        var page = await admin.GetAsync("/notifications");
        var refused = await person.GetAsync("/notifications");
        var home = await person.GetAsync("/");
        var redeliver = await person.PostAsync("/notifications", new Dictionary<string, string> { ["id"] = "msg_nothing" }, tokenFrom: "/");
        var missing = await admin.PostAsync("/notifications", new Dictionary<string, string> { ["id"] = "msg_nothing" }, tokenFrom: "/notifications");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Matches(@"\d+ pending, \d+ delivered, \d+ dead", page.Text);
        Assert.NotNull(page.Document.QuerySelector("nav a[href='/notifications']"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Only an admin", refused.Text, StringComparison.Ordinal);
        Assert.Null(home.Document.QuerySelector("nav a[href='/notifications']"));
        Assert.Equal(HttpStatusCode.Forbidden, redeliver.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }
}
