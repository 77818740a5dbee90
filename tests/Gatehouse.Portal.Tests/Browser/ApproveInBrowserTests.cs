using System.Diagnostics;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Storage;
using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Browser;

/// <summary>The portal in a real Chromium: an owner approves, an outsider cannot, and the CI gate sees the result.</summary>
public class ApproveInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Environment = "production";

    [BrowserFact]
    public async Task An_owner_approves_in_the_browser_and_gatehouse_check_passes()
    {
        var (consumer, keys, approvals) = await ConsumerWaitingOnOwnersAsync();
        var deployToken = await DeployTokenAsync(consumer);
        var (before, missing) = await GatehouseCheckAsync(consumer, deployToken);
        Assert.Equal(1, before);
        Assert.Contains($"MISSING {consumer} -> ", missing);
        Assert.Contains($"{fixture.Server.Url}requests/{approvals[0].Request.Id}", missing);

        foreach (var owner in approvals.GroupBy(a => a.Owner))
        {
            var page = await fixture.SignedInPageAsync(owner.Key);
            await page.GotoAsync($"/inbox?env={Environment}");
            await Screenshots.SaveAsync(page, $"inbox-before-approval-{owner.Key}");
            foreach (var (request, _) in owner)
            {
                var card = page.Locator($"article[aria-labelledby='req-{request.Id}']");
                await card.GetByLabel("Comment").FillAsync("Reason checked in the browser test");
                await card.GetByRole(AriaRole.Button, new() { Name = $"Approve #{request.Id}" }).ClickAsync();
                await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/inbox");
                Assert.Contains($"Request #{request.Id}", await page.GetByRole(AriaRole.Status).First.TextContentAsync());
                Assert.Equal(0, await page.Locator($"article[aria-labelledby='req-{request.Id}']").CountAsync());
            }

            await Screenshots.SaveAsync(page, $"inbox-after-approval-{owner.Key}");
            await page.Context.CloseAsync();
        }

        var (after, output) = await GatehouseCheckAsync(consumer, deployToken);
        Assert.True(after == 0, output);
        Assert.Contains($"OK: all {keys.Count} needed access(es) are granted in {Environment}.", output);
    }

    [BrowserFact]
    public async Task Someone_else_finds_no_approve_button_and_a_forged_post_is_refused()
    {
        var (request, owners) = await fixture.Server.PendingRequestAsync((r, _) => r.RequiredApproval == ApprovalMode.Owner && r.Key.Provider == "payments");
        var outsider = await fixture.Server.OutsiderForAsync(request);
        var page = await fixture.SignedInPageAsync(outsider);

        await page.GotoAsync($"/requests/{request.Id}");
        await Screenshots.SaveAsync(page, "request-seen-by-outsider");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = $"Approve #{request.Id}" }).CountAsync());
        Assert.Equal(0, await page.Locator("button[name=decision]").CountAsync());
        Assert.True(await page.GetByText($"Only an owner of {request.Key.Provider} ({string.Join(", ", owners)})").IsVisibleAsync());

        // A hand-made post from her own session: the sign-out form gives her a valid token.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var withToken = page.Context.APIRequest.CreateFormData();
        withToken.Set("decision", "approve");
        withToken.Set("__RequestVerificationToken", token);
        var refused = await page.Context.APIRequest.PostAsync($"/requests/{request.Id}", new() { Form = withToken, MaxRedirects = 0 });
        Assert.Equal(403, refused.Status);
        Assert.Contains(StoreErrors.DecisionForbidden, await refused.TextAsync());

        var withoutToken = page.Context.APIRequest.CreateFormData();
        withoutToken.Set("decision", "approve");
        var rejected = await page.Context.APIRequest.PostAsync($"/requests/{request.Id}", new() { Form = withoutToken, MaxRedirects = 0 });
        Assert.Equal(400, rejected.Status);

        Assert.Equal(RequestState.Pending, (await fixture.Server.Store.GetRequestAsync(request.Id))!.State);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// An app whose production needs are all waiting for one-owner approvals, each for a request
    /// its owner's inbox lists: the app the test will take from red to green.
    /// </summary>
    private async Task<(string Consumer, List<AccessKey> Keys, List<(AccessRequest Request, string Owner)> Approvals)> ConsumerWaitingOnOwnersAsync()
    {
        var store = fixture.Server.Store;
        var pending = await store.ListRequestsAsync(new RequestQuery(Environment: Environment, State: RequestState.Pending, Limit: 5000));
        var inboxes = new Dictionary<string, HashSet<long>>();
        foreach (var app in (await store.ListAppsAsync()).OrderBy(a => a.NeedCount).ThenBy(a => a.Name, StringComparer.Ordinal))
        {
            var details = (await store.GetAppAsync(app.Name))!;
            var keys = details.Manifest.Needs.Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(Environment))
                .SelectMany(n => n.Scopes.Select(s => new AccessKey(app.Name, n.App, s, Environment))).ToList();
            var waiting = pending.Where(r => r.Key.Consumer == app.Name).ToList();
            if (keys.Count == 0 || waiting.Count != keys.Count || waiting.Any(r => r.RequiredApproval != ApprovalMode.Owner))
            {
                continue;
            }

            var approvals = new List<(AccessRequest, string)>();
            foreach (var request in waiting)
            {
                var owner = (await store.GetAppAsync(request.Key.Provider))!.OwnerUsers[0];
                if (!inboxes.TryGetValue(owner, out var inbox))
                {
                    var mine = await store.ListRequestsAsync(new RequestQuery(Environment: Environment, State: RequestState.Pending, ApproverUser: owner, Limit: 5000));
                    inboxes[owner] = inbox = [.. mine.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Take(50).Select(r => r.Id)];
                }

                if (inbox.Contains(request.Id))
                {
                    approvals.Add((request, owner));
                }
            }

            if (approvals.Count == waiting.Count)
            {
                return (app.Name, keys, approvals);
            }
        }

        throw new InvalidOperationException("no app of the example organisation waits only on one-owner approvals");
    }

    private async Task<string> DeployTokenAsync(string app)
    {
        var issued = await fixture.Server.Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, app), DateTimeOffset.UtcNow.AddDays(1), "ci", new Actor(ActorKind.User, "alice"), null);
        return issued.Value!.Secret;
    }

    /// <summary>
    /// <c>gatehouse check --env production examples/acme/services/APP</c> as the app's pipeline
    /// runs it: the real CLI in its own process, with the deploy token in the environment.
    /// </summary>
    private async Task<(int ExitCode, string Output)> GatehouseCheckAsync(string app, string token)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), "check", "--env", Environment, Path.Combine("examples", "acme", "services", app)])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GATEHOUSE_URL"] = fixture.Server.Url.ToString();
        start.Environment["GATEHOUSE_TOKEN"] = token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
