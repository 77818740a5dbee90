using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Storage;

namespace Gatehouse.Portal.Tests.Pages;

/// <summary>The review page (ADR 0032): an owner keeps several grants at once; whoever does not own the provider cannot answer.</summary>
public sealed class ReviewPageTests : IAsyncLifetime
{
    private PortalServer _server = null!;

    public async Task InitializeAsync() => _server = await PortalServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_owner_keeps_her_grants_in_bulk_and_an_outsider_cannot_answer_for_them()
    {
        string? admin = null;
        foreach (var user in _server.Users.Order(StringComparer.Ordinal))
        {
            if (await _server.Store.GetUserAsync(user) is { IsAdmin: true })
            {
                admin = user;
                break;
            }
        }

        var opened = await _server.Store.OpenReviewAsync("development", DateTimeOffset.UtcNow.AddDays(7), UnconfirmedAction.Report, new Actor(ActorKind.User, admin!), null);
        Assert.True(opened.Succeeded, opened.ErrorMessage);
        var review = opened.Value!;
        var (provider, owner, items) = await AnswerableAsync(review);
        var outsider = await _server.OutsiderForAsync(provider);
        using var client = _server.Client();
        await client.SignInWithTokenAsync(_server.TokenOf(owner));

        var page = await client.GetAsync($"/reviews/{review.Id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var boxes = page.Document.QuerySelectorAll("input[name=grants]").Select(b => b.GetAttribute("value")!).ToList();
        Assert.All(items, i => Assert.Contains(i.GrantId.ToString(System.Globalization.CultureInfo.InvariantCulture), boxes));
        var form = items.Select(i => new KeyValuePair<string, string>("grants", i.GrantId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("decision", "keep")).Append(new("comment", "still needed")).Append(new("__RequestVerificationToken", page.AntiforgeryToken()));
        var done = await PortalClient.Page.ReadAsync(await client.Http.PostAsync($"/reviews/{review.Id}", new FormUrlEncodedContent(form)));

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var after = (await _server.Store.GetReviewAsync(review.Id))!;
        Assert.All(items, i => Assert.Equal(ReviewDecision.Keep, after.Items.Single(a => a.GrantId == i.GrantId).Decision));
        var team = (await _server.Store.GetAppAsync(provider))!.Manifest.Owners.First(o => o.Kind == Core.Manifests.OwnerKind.Team).Name;
        var progress = (await client.GetAsync($"/reviews/{review.Id}")).Document.QuerySelectorAll("table[aria-labelledby=teams] tbody tr")
            .Single(r => r.QuerySelector("th")!.TextContent == team).QuerySelectorAll("td").Select(c => int.Parse(c.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(progress[0] >= items.Count, $"team {team} shows {progress[0]} kept");

        using var other = _server.Client();
        await other.SignInWithTokenAsync(_server.TokenOf(outsider));
        var theirs = await other.GetAsync($"/reviews/{review.Id}");
        var waiting = after.Items.First(i => i.Key.Provider == provider);
        var refused = await other.PostAsync($"/reviews/{review.Id}", new Dictionary<string, string> { ["grants"] = waiting.GrantId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["decision"] = "revoke", ["comment"] = "no" }, tokenFrom: $"/reviews/{review.Id}");

        Assert.DoesNotContain(theirs.Document.QuerySelectorAll("input[name=grants]"), b => b.GetAttribute("value") == waiting.GrantId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains(StoreErrors.ReviewForbidden, refused.Text, StringComparison.Ordinal);
        Assert.Equal(GrantState.Active, (await _server.Store.ListGrantsAsync(new GrantQuery(waiting.Key.Provider, waiting.Key.Scope, waiting.Key.Consumer, waiting.Key.Environment))).Single().State);
    }

    [Fact]
    public async Task The_grants_used_recently_are_kept_with_one_button_and_the_others_wait()
    {
        string? admin = null;
        foreach (var user in _server.Users.Order(StringComparer.Ordinal))
        {
            if (await _server.Store.GetUserAsync(user) is { IsAdmin: true })
            {
                admin = user;
                break;
            }
        }

        var review = (await _server.Store.OpenReviewAsync("development", DateTimeOffset.UtcNow.AddDays(7), UnconfirmedAction.Report, new Actor(ActorKind.User, admin!), null)).Value!;
        var (_, owner, items) = await AnswerableAsync(review);
        var used = items[0];
        var usage = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Storage.Usage.IUsageStore>(_server.Services);
        await usage.WriteAsync(new Storage.Usage.UsageBatch([new(used.Key.Consumer, used.Key.Provider, used.Key.Scope, used.Key.Environment, DateTimeOffset.UtcNow.AddHours(-1))], [], []));
        using var client = _server.Client();
        await client.SignInWithTokenAsync(_server.TokenOf(owner));

        var page = await client.GetAsync($"/reviews/{review.Id}");
        var form = page.Document.QuerySelector("form[aria-label='Keep the recently used grants']");
        Assert.NotNull(form);
        Assert.Equal([used.GrantId.ToString(System.Globalization.CultureInfo.InvariantCulture)], form!.QuerySelectorAll("input[name=grants]").Select(i => i.GetAttribute("value")));
        var fields = form.QuerySelectorAll("input[type=hidden]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value")!))
            .Append(new("decision", "keep"));
        var done = await PortalClient.Page.ReadAsync(await client.Http.PostAsync($"/reviews/{review.Id}", new FormUrlEncodedContent(fields)));

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var after = (await _server.Store.GetReviewAsync(review.Id))!;
        Assert.Equal(ReviewDecision.Keep, after.Items.Single(i => i.GrantId == used.GrantId).Decision);
        Assert.All(items.Skip(1), i => Assert.Null(after.Items.Single(a => a.GrantId == i.GrantId).Decision));
    }

    /// <summary>A provider in the review, a non-admin owner with a token, and the grants she may answer for (not held or asked for by her).</summary>
    private async Task<(string Provider, string Owner, List<ReviewItem> Items)> AnswerableAsync(AccessReview review)
    {
        foreach (var group in review.Items.GroupBy(i => i.Key.Provider).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var owners = (await _server.Store.GetAppAsync(group.Key))!.OwnerUsers;
            foreach (var owner in owners.Where(_server.Users.Contains))
            {
                if (await _server.Store.GetUserAsync(owner) is not { IsAdmin: false })
                {
                    continue;
                }

                var items = new List<ReviewItem>();
                foreach (var item in group)
                {
                    var consumerOwners = (await _server.Store.GetAppAsync(item.Key.Consumer))!.OwnerUsers;
                    if (!consumerOwners.Contains(owner))
                    {
                        items.Add(item);
                    }
                }

                if (items.Count >= 2)
                {
                    return (group.Key, owner, items);
                }
            }
        }

        throw new InvalidOperationException("the example organisation has no owner with two grants to review");
    }
}
