using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>
/// Self-service credentials in the portal (issue 10): people make and revoke their own personal
/// tokens, owners their apps' deploy tokens and OAuth clients; a secret is shown once; whoever
/// may not is refused with the API's code and nothing changes.
/// </summary>
public class CredentialsPageTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    private PortalServer Server => fixture.Server;

    private async Task<PortalClient> SignedInAsAsync(string user)
    {
        var client = Server.Client();
        await client.SignInWithTokenAsync(Server.TokenOf(user));
        return client;
    }

    private async Task<HttpStatusCode> MeStatusAsync(string secret)
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(string App, string Owner, string Outsider)> OwnedAppAsync()
    {
        foreach (var app in (await Server.Store.ListAppsAsync()).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var owners = (await Server.Store.GetAppAsync(app.Name))!.OwnerUsers;
            var owner = owners.FirstOrDefault(o => Server.Users.Contains(o));
            if (owner is not null && await Server.Store.GetUserAsync(owner) is { IsAdmin: false })
            {
                return (app.Name, owner, await Server.OutsiderForAsync(app.Name));
            }
        }

        throw new InvalidOperationException("the example organisation has no app owned by a non-admin demo user");
    }

    [Fact]
    public async Task A_person_makes_a_personal_token_sees_it_once_uses_it_and_revokes_it()
    {
        var (_, user, _) = await OwnedAppAsync();
        using var client = await SignedInAsAsync(user);

        var made = await client.PostAsync("/credentials?handler=CreateToken", new Dictionary<string, string> { ["description"] = "laptop CLI", ["expiresInDays"] = "7" }, tokenFrom: "/credentials");

        Assert.Equal(HttpStatusCode.OK, made.Status);
        Assert.Contains("no-store", made.Response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var secret = made.Document.QuerySelector("#issued-secret")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(secret), made.Html);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(secret!));
        var again = await client.GetAsync("/credentials");
        Assert.DoesNotContain(secret!, again.Html, StringComparison.Ordinal);
        var row = again.Document.QuerySelectorAll("table[aria-labelledby=personal] tbody tr").Single(r => r.TextContent.Contains("laptop CLI", StringComparison.Ordinal));
        var id = row.QuerySelector("input[name=id]")!.GetAttribute("value")!;
        Assert.Contains(DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-dd"), row.TextContent, StringComparison.Ordinal);

        var revoked = await client.PostAsync("/credentials?handler=RevokeToken", new Dictionary<string, string> { ["id"] = id }, tokenFrom: "/credentials");

        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(secret!));
        var audit = await Server.Store.ReadAuditAsync(new AuditQuery(NewestFirst: true, Limit: 20));
        Assert.Contains(audit, e => e.Action == "token.created" && e.Actor == $"user:{user}" && e.Subject == $"token/{id}");
        Assert.Contains(audit, e => e.Action == "token.revoked" && e.Actor == $"user:{user}" && e.Subject == $"token/{id}");
        Assert.DoesNotContain(audit, e => (e.Data ?? string.Empty).Contains(secret!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_cannot_see_or_revoke_another_persons_personal_token()
    {
        var (app, owner, outsider) = await OwnedAppAsync();
        var theirs = await Server.Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, owner), DateTimeOffset.UtcNow.AddDays(3), "owner's own", new Actor(ActorKind.User, owner), null);
        Assert.True(theirs.Succeeded, theirs.ErrorMessage);
        using var client = await SignedInAsAsync(outsider);

        var page = await client.GetAsync("/credentials");
        var refused = await client.PostAsync("/credentials?handler=RevokeToken", new Dictionary<string, string> { ["id"] = theirs.Value!.Info.Id }, tokenFrom: "/credentials");

        Assert.DoesNotContain(theirs.Value.Info.Id, page.Html, StringComparison.Ordinal);
        Assert.Contains(refused.Status, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.Contains("Refused.", refused.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(theirs.Value.Secret));
        Assert.Null((await Server.Store.GetTokenAsync(theirs.Value.Info.Id))!.RevokedAt);
        Assert.DoesNotContain(page.Document.QuerySelectorAll("section.credentials-app h2"), h => h.TextContent.StartsWith(app, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_owner_makes_rotates_and_revokes_an_oauth_client_and_a_deploy_token_for_her_app()
    {
        var (app, owner, _) = await OwnedAppAsync();
        var oauth = Server.Services.GetRequiredService<IOAuthStore>();
        using var client = await SignedInAsAsync(owner);
        var page = await client.GetAsync("/credentials");
        Assert.NotNull(page.Document.QuerySelector($"section.credentials-app h2#app-{app}"));

        var made = await client.PostAsync("/credentials?handler=CreateClient", new Dictionary<string, string>
        {
            ["app"] = app,
            ["environment"] = "staging",
            ["authMethod"] = "client_secret",
            ["description"] = "orders worker",
        }, tokenFrom: "/credentials");
        var secret = made.Document.QuerySelector("#issued-secret")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(secret), made.Html);
        var created = (await oauth.ListClientsAsync(app)).Single(c => c.Description == "orders worker");
        Assert.Equal(Hash(secret!), created.SecretHash);
        Assert.Equal("staging", created.Environment);

        var rotated = await client.PostAsync("/credentials?handler=RotateSecret", new Dictionary<string, string> { ["id"] = created.Id, ["overlapHours"] = "2", ["app"] = app }, tokenFrom: "/credentials");
        var newSecret = rotated.Document.QuerySelector("#issued-secret")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(newSecret), rotated.Html);
        Assert.NotEqual(secret, newSecret);
        var afterRotation = (await oauth.GetClientAsync(created.Id))!;
        Assert.Equal(Hash(newSecret!), afterRotation.SecretHash);
        Assert.True(afterRotation.PreviousSecretValidAt(DateTimeOffset.UtcNow), "the old secret keeps working during the overlap");
        Assert.Contains("old secret works until", rotated.Text, StringComparison.Ordinal);

        var deploy = await client.PostAsync("/credentials?handler=CreateToken", new Dictionary<string, string> { ["app"] = app, ["description"] = "CI", ["expiresInDays"] = "30" }, tokenFrom: "/credentials");
        var deploySecret = deploy.Document.QuerySelector("#issued-secret")?.GetAttribute("value");
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(deploySecret!));

        var revoked = await client.PostAsync("/credentials?handler=RevokeClient", new Dictionary<string, string> { ["id"] = created.Id, ["app"] = app }, tokenFrom: "/credentials");
        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.False((await oauth.GetClientAsync(created.Id))!.IsActive);
    }

    [Fact]
    public async Task A_person_who_does_not_own_the_app_is_refused_a_client_and_a_deploy_token_and_nothing_is_made()
    {
        var (app, _, outsider) = await OwnedAppAsync();
        var oauth = Server.Services.GetRequiredService<IOAuthStore>();
        var before = (await oauth.ListClientsAsync(app)).Count;
        using var client = await SignedInAsAsync(outsider);

        var clientRefused = await client.PostAsync("/credentials?handler=CreateClient", new Dictionary<string, string> { ["app"] = app, ["environment"] = "staging" }, tokenFrom: "/credentials");
        var tokenRefused = await client.PostAsync("/credentials?handler=CreateToken", new Dictionary<string, string> { ["app"] = app, ["expiresInDays"] = "30" }, tokenFrom: "/credentials");
        var forged = await client.PostAsync("/credentials?handler=CreateToken", new Dictionary<string, string> { ["expiresInDays"] = "30" });

        Assert.Equal(HttpStatusCode.Forbidden, clientRefused.Status);
        Assert.Contains("GH5", clientRefused.Text, StringComparison.Ordinal);
        Assert.Null(clientRefused.Document.QuerySelector("#issued-secret"));
        Assert.Equal(HttpStatusCode.Forbidden, tokenRefused.Status);
        Assert.Null(tokenRefused.Document.QuerySelector("#issued-secret"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(before, (await oauth.ListClientsAsync(app)).Count);
        Assert.DoesNotContain(await Server.Store.ListTokensAsync(new Actor(ActorKind.Bootstrap, "bootstrap")), t => t.Subject.Kind == TokenKind.Deploy && t.Subject.Name == app && t.CreatedBy == $"user:{outsider}");
    }

    [Fact]
    public async Task A_token_lifetime_out_of_range_is_refused_with_its_code()
    {
        var (_, user, _) = await OwnedAppAsync();
        using var client = await SignedInAsAsync(user);

        var refused = await client.PostAsync("/credentials?handler=CreateToken", new Dictionary<string, string> { ["expiresInDays"] = "0" }, tokenFrom: "/credentials");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(StoreErrors.TokenExpiryInvalid, refused.Text, StringComparison.Ordinal);
        Assert.Null(refused.Document.QuerySelector("#issued-secret"));
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
