using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Manifests;

/// <summary>
/// The summary answer of plan and push (ADR 0038): every change counted per kind, the first
/// <c>?changes=N</c> listed, the same small answer replayed for an <c>Idempotency-Key</c>.
/// </summary>
public sealed class PushSummaryTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        using var bootstrap = _server.Client();
        var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = TestOrganisation.Org } });
        Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        _root = _server.Client(await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root"));
    }

    public async Task DisposeAsync()
    {
        _root.Dispose();
        await _server.DisposeAsync();
    }

    private static object Body => new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) };

    private HttpRequestMessage Push(string query, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/push" + query) { Content = JsonContent.Create(Body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private async Task<JsonNode> PlanEverythingAsync() => await TestServer.Json(await _root.PostAsJsonAsync("api/v1/plan?changes=100000", Body));

    [Fact]
    public async Task Push_WithoutChangesParameter_ListsEveryChangeOfASmallPush_AsBefore()
    {
        var plan = await PlanEverythingAsync();

        var push = await TestServer.Json(await _root.SendAsync(Push("")));

        var total = plan["summary"]!["total"]!.GetValue<int>();
        Assert.True(total > 3, $"the test organisation should make several changes, not {total}");
        Assert.Equal(total, push["changes"]!.AsArray().Count);
        Assert.Equal(total, push["summary"]!["listed"]!.GetValue<int>());
        Assert.Equal(0, push["summary"]!["omitted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Push_WithChangesParameter_ListsTheFirstChanges_AndCountsEveryOnePerKind()
    {
        var plan = await PlanEverythingAsync();
        var all = plan["changes"]!.AsArray();

        var push = await TestServer.Json(await _root.SendAsync(Push("?changes=2")));

        var summary = push["summary"]!;
        Assert.True(push["applied"]!.GetValue<bool>());
        Assert.Equal([.. all.Take(2).Select(c => c!.ToJsonString())], push["changes"]!.AsArray().Select(c => c!.ToJsonString()).ToList());
        Assert.Equal(all.Count, summary["total"]!.GetValue<int>());
        Assert.Equal(2, summary["listed"]!.GetValue<int>());
        Assert.Equal(all.Count - 2, summary["omitted"]!.GetValue<int>());
        var expected = all.GroupBy(c => c!["kind"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        var counts = summary["counts"]!.AsObject().ToDictionary(c => c.Key, c => c.Value!.GetValue<int>());
        Assert.Equal(expected.OrderBy(e => e.Key), counts.OrderBy(c => c.Key));
        Assert.Contains("auto-grant", counts.Keys);
    }

    [Fact]
    public async Task Push_WithZeroChanges_AppliesEverything_AndListsNone()
    {
        var total = (await PlanEverythingAsync())["summary"]!["total"]!.GetValue<int>();

        var push = await TestServer.Json(await _root.SendAsync(Push("?changes=0")));
        var after = await PlanEverythingAsync();

        Assert.Empty(push["changes"]!.AsArray());
        Assert.Equal(total, push["summary"]!["omitted"]!.GetValue<int>());
        Assert.Equal(0, after["summary"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task RetriedPush_WithSameIdempotencyKey_ReplaysTheSameSummary_AndAppliesOnce()
    {
        var first = await _root.SendAsync(Push("?changes=1", "ci-run-9-push"));
        var retry = await _root.SendAsync(Push("?changes=1", "ci-run-9-push"));
        var again = await TestServer.Json(await _root.SendAsync(Push("?changes=1", "ci-run-10-push")));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Single(JsonNode.Parse(firstBody)!["changes"]!.AsArray());
        Assert.Equal(0, again["summary"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task RetriedPush_WithSameKeyButAnotherChangesParameter_IsRefused()
    {
        var first = await _root.SendAsync(Push("?changes=1", "ci-run-11-push"));
        var other = await _root.SendAsync(Push("?changes=5", "ci-run-11-push"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(422, (int)other.StatusCode);
        Assert.Equal("GH4004", (await TestServer.Json(other))["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("100001")]
    [InlineData("ten")]
    [InlineData("")]
    public async Task Push_WithChangesNotAWholeNumberInRange_IsRefused_NamingTheParameter_AndChangesNothing(string given)
    {
        var before = (await PlanEverythingAsync())["summary"]!["total"]!.GetValue<int>();

        var push = await _root.SendAsync(Push("?changes=" + given));
        var plan = await _root.PostAsJsonAsync("api/v1/plan?changes=" + given, Body);
        var after = (await PlanEverythingAsync())["summary"]!["total"]!.GetValue<int>();

        Assert.Equal(400, (int)push.StatusCode);
        var problem = await TestServer.Json(push);
        Assert.Equal("GH4270", problem["code"]!.GetValue<string>());
        Assert.Contains("`changes`", problem["detail"]!.GetValue<string>());
        Assert.Equal(400, (int)plan.StatusCode);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Push_WithoutToken_IsRefused_WhateverTheChangesParameter()
    {
        using var anonymous = _server.Client(token: null);

        var push = await anonymous.SendAsync(Push("?changes=0"));

        Assert.Equal(401, (int)push.StatusCode);
        Assert.True((await PlanEverythingAsync())["summary"]!["total"]!.GetValue<int>() > 0);
    }
}
