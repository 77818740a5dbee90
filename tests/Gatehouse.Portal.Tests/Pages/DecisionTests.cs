using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal;
using Gatehouse.Storage;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>Approve and deny through the portal's forms: what is offered, what the store accepts, what it refuses.</summary>
public class DecisionTests(PortalServerFixture fixture) : IClassFixture<PortalServerFixture>
{
    private PortalServer Server => fixture.Server;

    private async Task<PortalClient> SignedInAsAsync(string user)
    {
        var client = Server.Client();
        await client.SignInWithTokenAsync(Server.TokenOf(user));
        return client;
    }

    private static Dictionary<string, string> Decision(string decision, string? comment = null, string returnUrl = "/inbox") => new()
    {
        ["decision"] = decision,
        ["comment"] = comment ?? string.Empty,
        ["returnUrl"] = returnUrl,
    };

    [Fact]
    public async Task An_owner_approves_from_her_inbox_and_the_access_is_granted()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, o) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "catalog");
        using var client = await SignedInAsAsync(owners[0]);

        var inbox = await client.GetAsync("/inbox");
        Assert.NotNull(inbox.Document.QuerySelector($"form[action='/requests/{request.Id}'] button[value=approve]"));
        var done = await client.PostAsync($"/requests/{request.Id}", Decision("approve", "Looks right"), tokenFrom: "/inbox");

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal("/inbox", done.Location);
        Assert.Contains($"Request #{request.Id}", (await client.GetAsync("/inbox")).Document.QuerySelector("[role=status]")!.TextContent);
        Assert.Equal(RequestState.Approved, (await Server.Store.GetRequestAsync(request.Id))!.State);
        var check = Assert.Single(await Server.Store.CheckAsync([request.Key]));
        Assert.Equal(AccessState.Granted, check.State);

        var timeline = await client.GetAsync($"/requests/{request.Id}");
        Assert.Contains($"Approved by {owners[0]}", timeline.Text);
        Assert.Contains("Access granted", timeline.Text);
        Assert.Empty(timeline.Document.QuerySelectorAll("button[name=decision]"));
    }

    [Fact]
    public async Task Someone_who_is_not_an_owner_sees_no_decision_buttons_and_why()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "billing");
        var outsider = await Server.OutsiderForAsync(request);
        using var client = await SignedInAsAsync(outsider);

        var page = await client.GetAsync($"/requests/{request.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Empty(page.Document.QuerySelectorAll("button[name=decision]"));
        Assert.Contains($"Only an owner of {request.Key.Provider} ({string.Join(", ", owners)}) or an admin", page.Text);
    }

    [Fact]
    public async Task The_request_page_names_the_people_behind_it_and_offers_them_no_decision()
    {
        // The demo's manifests are pushed by walter, an admin: he may decide others' requests, not these.
        var (request, _) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "billing");
        using var client = await SignedInAsAsync("walter");

        var page = await client.GetAsync($"/requests/{request.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("walter (pushed it)", page.Text);
        Assert.Empty(page.Document.QuerySelectorAll("button[name=decision]"));
        Assert.Contains("You filed this request", page.Text);
    }

    [Fact]
    public async Task A_forged_post_with_a_valid_antiforgery_token_is_refused_by_the_store_as_the_api_would()
    {
        var (request, _) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "billing");
        var outsider = await Server.OutsiderForAsync(request);
        using var client = await SignedInAsAsync(outsider);

        // The outsider's own page has no decision form; any form of hers yields a valid token.
        var forged = await client.PostAsync($"/requests/{request.Id}", Decision("approve"), tokenFrom: "/");

        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Contains(StoreErrors.DecisionForbidden, forged.Document.QuerySelector("[role=alert]")!.TextContent);
        using var api = new HttpClient { BaseAddress = Server.Url };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Server.TokenOf(outsider));
        using var viaApi = await api.PostAsync($"/api/v1/requests/{request.Id}/approve", null);
        Assert.Equal(HttpStatusCode.Forbidden, viaApi.StatusCode);
        Assert.Contains(StoreErrors.DecisionForbidden, await viaApi.Content.ReadAsStringAsync());
        Assert.Equal(RequestState.Pending, (await Server.Store.GetRequestAsync(request.Id))!.State);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_refused_before_the_store_is_asked()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "shipping");
        using var client = await SignedInAsAsync(owners[0]);

        var forged = await client.PostAsync($"/requests/{request.Id}", Decision("approve"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains(PortalErrors.FormExpired, forged.Text);
        Assert.Equal(RequestState.Pending, (await Server.Store.GetRequestAsync(request.Id))!.State);
    }

    [Fact]
    public async Task A_token_from_another_session_does_not_pass_for_this_one()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "shipping");
        using var attacker = Server.Client();
        var attackerToken = (await attacker.GetAsync("/signin")).AntiforgeryToken();
        using var victim = await SignedInAsAsync(owners[0]);

        var forged = await victim.PostAsync($"/requests/{request.Id}", new Dictionary<string, string>(Decision("approve")) { ["__RequestVerificationToken"] = attackerToken });

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(RequestState.Pending, (await Server.Store.GetRequestAsync(request.Id))!.State);
    }

    [Fact]
    public async Task Denying_without_a_comment_is_refused_with_the_store_code_and_nothing_changes()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "inventory");
        using var client = await SignedInAsAsync(owners[0]);

        var refused = await client.PostAsync($"/requests/{request.Id}", Decision("deny", "  "), tokenFrom: "/inbox");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains(StoreErrors.CommentRequired, refused.Document.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(RequestState.Pending, (await Server.Store.GetRequestAsync(request.Id))!.State);

        var denied = await client.PostAsync($"/requests/{request.Id}", Decision("deny", "Use the read replica"), tokenFrom: "/inbox");
        Assert.Equal(HttpStatusCode.Redirect, denied.Status);
        Assert.Equal(RequestState.Denied, (await Server.Store.GetRequestAsync(request.Id))!.State);
    }

    [Fact]
    public async Task A_two_owner_request_shows_its_progress_and_needs_a_second_different_owner()
    {
        var (request, owners) = await Server.PendingRequestAsync((r, o) => r.RequiredApproval == ApprovalMode.TwoOwners && o.Count >= 2);
        using var first = await SignedInAsAsync(owners[0]);

        Assert.Contains("2 owner approvals needed", (await first.GetAsync($"/requests/{request.Id}")).Text);
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostAsync($"/requests/{request.Id}", Decision("approve", "first"), tokenFrom: "/")).Status);

        var after = await first.GetAsync($"/requests/{request.Id}");
        Assert.Contains($"1 of 2 owner approvals ({owners[0]})", after.Text);
        Assert.Null(after.Document.QuerySelector("button[value=approve]"));
        Assert.NotNull(after.Document.QuerySelector("button[value=deny]"));
        Assert.Contains("a second, different owner must approve", after.Text);

        using var second = await SignedInAsAsync(owners[1]);
        Assert.Equal(HttpStatusCode.Redirect, (await second.PostAsync($"/requests/{request.Id}", Decision("approve", "second"), tokenFrom: "/")).Status);
        Assert.Equal(RequestState.Approved, (await Server.Store.GetRequestAsync(request.Id))!.State);
    }

    [Fact]
    public async Task An_owner_revokes_a_grant_from_the_scope_page_and_an_outsider_cannot()
    {
        var grant = (await Server.Store.ListGrantsAsync(new Storage.GrantQuery(Provider: "customers", Environment: "development")))[0];
        var owner = (await Server.Store.GetAppAsync("customers"))!.OwnerUsers[0];
        var path = $"/apps/customers/scopes/{grant.Key.Scope}";
        var outsider = await Server.OutsiderForAsync("customers");
        using var stranger = await SignedInAsAsync(outsider);
        Assert.Empty((await stranger.GetAsync(path)).Document.QuerySelectorAll("form[action*='handler=revoke']"));
        var fields = new Dictionary<string, string> { ["grantId"] = grant.Id.ToString(), ["comment"] = "no longer used" };
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsync(path + "?handler=revoke", fields, tokenFrom: "/")).Status);

        using var client = await SignedInAsAsync(owner);
        var done = await client.PostAsync(path + "?handler=revoke", fields, tokenFrom: path);

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var after = (await Server.Store.ListGrantsAsync(new Storage.GrantQuery(Provider: "customers", Environment: "development", ActiveOnly: false))).Single(g => g.Id == grant.Id);
        Assert.Equal(GrantState.Revoked, after.State);
        Assert.Equal("no longer used", after.RevokeReason);
    }
}
