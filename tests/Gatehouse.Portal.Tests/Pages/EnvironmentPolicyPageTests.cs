using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Core.Organisations;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal;
using Gatehouse.Storage;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The request page explains a freeze, offers admins the emergency approval, and flags the grant it makes (ADR 0031).</summary>
public sealed class EnvironmentPolicyPageTests : IAsyncLifetime
{
    private PortalServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await PortalServer.StartAsync();
        var current = (await _server.Store.GetOrganisationAsync())!;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var frozen = current.Organisation with
        {
            Environments = [.. current.Organisation.Environments.Select(e => e.Name == "production" ? e with { Freezes = [new EnvironmentFreeze(today.AddDays(-1), today.AddDays(1), "release freeze")] } : e)],
        };
        var pushed = await _server.Store.PushOrganisationAsync(frozen, current.SourceText + "\n# frozen for the test\n", new Actor(ActorKind.Bootstrap, "bootstrap"), null);
        Assert.True(pushed.Succeeded, pushed.ErrorMessage);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_owner_sees_why_and_no_emergency_box_an_admin_approves_as_an_emergency_and_the_grant_is_flagged()
    {
        var (request, owners) = await _server.PendingRequestAsync((r, o) => r.RequiredApproval == Core.Manifests.ApprovalMode.Owner && r.People.All(p => p.Name != "admin"));
        string? admin = null;
        foreach (var user in _server.Users.Order(StringComparer.Ordinal))
        {
            if (await _server.Store.GetUserAsync(user) is { IsAdmin: true } && request.People.All(p => p.Name != user))
            {
                admin = user;
                break;
            }
        }

        Assert.NotNull(admin);
        using var owner = _server.Client();
        await owner.SignInWithTokenAsync(_server.TokenOf(owners[0]));
        var ownerPage = await owner.GetAsync(PortalHtml.RequestUrl(request.Id));
        var refused = await owner.PostAsync(PortalHtml.RequestUrl(request.Id), new Dictionary<string, string> { ["decision"] = "approve", ["comment"] = "ok" }, tokenFrom: PortalHtml.RequestUrl(request.Id));

        Assert.Contains("Blocked by policy.", ownerPage.Text, StringComparison.Ordinal);
        Assert.Contains("release freeze", ownerPage.Text, StringComparison.Ordinal);
        Assert.Null(ownerPage.Document.QuerySelector("input[name=emergency]"));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains(StoreErrors.EnvironmentFrozen, refused.Text, StringComparison.Ordinal);

        using var client = _server.Client();
        await client.SignInWithTokenAsync(_server.TokenOf(admin!));
        var page = await client.GetAsync(PortalHtml.RequestUrl(request.Id));
        Assert.NotNull(page.Document.QuerySelector("input[name=emergency]"));
        var done = await client.PostAsync(PortalHtml.RequestUrl(request.Id), new Dictionary<string, string> { ["decision"] = "approve", ["comment"] = "Outage INC-812", ["emergency"] = "true" }, tokenFrom: PortalHtml.RequestUrl(request.Id));

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var k = request.Key;
        var grant = Assert.Single(await _server.Store.ListGrantsAsync(new GrantQuery(k.Provider, k.Scope, k.Consumer, k.Environment)));
        Assert.True(grant.Emergency);
        var after = await client.GetAsync(PortalHtml.RequestUrl(request.Id));
        Assert.Contains("granted as an emergency during a freeze", after.Text, StringComparison.Ordinal);
    }
}
