using System.Net.Http.Json;
using Gatehouse.Server.Checks;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Checks;

/// <summary>
/// Issue 9: any token holder could grow the server without bound through the check and decision
/// caches (1,000 queries of 8,000-character names per request). Names are checked against the
/// manifest rules first, unknown names are never cached, and every cache is bounded by bytes.
/// </summary>
public sealed class CacheBoundTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedAsync();
        _root = _server.Client(await _server.TokenForAsync("root"));
    }

    public async Task DisposeAsync()
    {
        _root.Dispose();
        await _server.DisposeAsync();
    }

    private IEnumerable<(string Name, long Bytes, long MaxBytes)> Tables =>
        _server.Services.GetRequiredService<DecisionCache>().Tables.Concat(_server.Services.GetRequiredService<AccessCache>().Tables);

    private long AnswerBytes => Tables.Where(t => t.Name is "access_states" or "approvers").Sum(t => t.Bytes);

    [Fact]
    public async Task TheAttackFromTheIssue_LongNames_DoesNotGrowTheCaches()
    {
        var longName = new string('a', 8_000);
        for (var round = 0; round < 2; round++)
        {
            var decisions = await _root.PostAsJsonAsync("api/v1/decisions", new
            {
                queries = Enumerable.Range(0, 1_000).Select(i => new { app = longName + i, scope = $"{longName}:{longName}{i}", environment = "production" }),
            });
            var check = await _root.PostAsJsonAsync("api/v1/check", new
            {
                environment = "production",
                needs = Enumerable.Range(0, 1_000).Select(i => new { consumer = longName + i, provider = longName, scope = longName }),
            });

            // The documented deny for decisions, a 400 naming the rule for the CI gate.
            Assert.Equal(200, (int)decisions.StatusCode);
            var answers = (await TestServer.Json(decisions))["decisions"]!.AsArray();
            Assert.Equal(1_000, answers.Count);
            Assert.All(answers, a =>
            {
                Assert.False(a!["allow"]!.GetValue<bool>());
                Assert.Equal("notrequested", a["state"]!.GetValue<string>());
                Assert.Contains("not an app name", a["reason"]!.GetValue<string>());
            });
            Assert.Equal(400, (int)check.StatusCode);
            var problem = await TestServer.Json(check);
            Assert.Equal("GH4043", problem["code"]!.GetValue<string>());
            Assert.Contains("needs[0]", problem["detail"]!.GetValue<string>());
            Assert.True(problem["detail"]!.GetValue<string>().Length < 500, "the 8,000-character name is not echoed in full");
        }

        Assert.Equal(0, AnswerBytes);
    }

    [Fact]
    public async Task ValidButUnknownNames_AreAnsweredButNeverCached()
    {
        var response = await _root.PostAsJsonAsync("api/v1/decisions", new
        {
            queries = Enumerable.Range(0, 1_000).Select(i => new { app = $"made-up-{i}", scope = $"also-made-up-{i}:scope.read", environment = "production" }),
        });

        var answers = (await TestServer.Json(response))["decisions"]!.AsArray();
        Assert.All(answers, a => Assert.Equal("notrequested", a!["state"]!.GetValue<string>()));
        Assert.Equal(0, AnswerBytes);

        // A real access is cached, and accounted for.
        var granted = await _root.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "development" });
        Assert.True((await TestServer.Json(granted))["allow"]!.GetValue<bool>());
        Assert.InRange(AnswerBytes, 1, 10_000);
    }

    [Fact]
    public async Task CacheSizes_AreInTheMetrics()
    {
        using var anonymous = _server.Client(token: null);

        var metrics = await anonymous.GetStringAsync("metrics");

        Assert.True(Gatehouse.Testing.PrometheusText.Has(metrics, "gatehouse_cache_bytes", ("cache", "access_states")), metrics);
        Assert.True(Gatehouse.Testing.PrometheusText.Value(metrics, "gatehouse_cache_max_bytes", ("cache", "oauth_grants")) > 0, metrics);
    }

    [Fact]
    public void VersionedTable_StaysWithinItsByteBudget_HoweverLongTheEntries()
    {
        var table = new VersionedTable<string, string>("test", capacity: 1_000_000, maxBytes: 1 << 20,
            static (key, value) => CacheSizes.Of(key) + CacheSizes.Of(value), StringComparer.Ordinal);

        for (var i = 0; i < 10_000; i++)
        {
            table.Put($"{i}-{new string('k', 4_000)}", version: 1, value: new string('v', 4_000));
            Assert.InRange(table.Bytes, 0, table.MaxBytes);
        }

        // An entry larger than the whole budget is not kept at all.
        table.Put("huge", 1, new string('x', 1 << 20));
        Assert.False(table.TryGet("huge", 1, out _));
    }

    [Fact]
    public void VersionedTable_CountsEntriesAgainstItsCapacity_AndAnswersOnlyAtTheirVersion()
    {
        var table = new VersionedTable<string, int>("test", capacity: 10, maxBytes: 1 << 20, static (key, _) => CacheSizes.Of(key), StringComparer.Ordinal);

        table.Put("a", 1, 1);
        Assert.True(table.TryGet("a", 1, out var value));
        Assert.Equal(1, value);
        Assert.False(table.TryGet("a", 2, out _));
        for (var i = 0; i < 100; i++)
        {
            table.Put($"k{i}", 1, i);
            Assert.InRange(table.Writes, 1, 10);
        }

        Assert.InRange(Enumerable.Range(0, 100).Count(i => table.TryGet($"k{i}", 1, out _)), 1, 10);
    }

    [Fact]
    public void VersionedTable_PastItsBound_EvictsAQuarter_NotEverything()
    {
        var table = new VersionedTable<int, int>("test", capacity: 1_000, maxBytes: 1 << 30, static (_, _) => 8, EqualityComparer<int>.Default);

        for (var i = 0; i < 1_000; i++)
        {
            table.Put(i, 1, i);
        }

        // The put past the bound makes room for itself and keeps about three quarters of the rest
        // (emptying it, as before ADR 0043, lost every hit at once).
        table.Put(1_000, 1, 1_000);
        var kept = Enumerable.Range(0, 1_000).Count(i => table.TryGet(i, 1, out _));
        Assert.InRange(kept, 650, 750);
        Assert.True(table.TryGet(1_000, 1, out var value));
        Assert.Equal(1_000, value);
        Assert.Equal(kept + 1, table.Writes);
        Assert.Equal((kept + 1) * (VersionedTable<int, int>.EntryOverhead + 8), table.Bytes);
    }

    [Fact]
    public void VersionedTable_Evicts_EntriesOfAnOlderVersionFirst()
    {
        var table = new VersionedTable<int, int>("test", capacity: 100, maxBytes: 1 << 30, static (_, _) => 8, EqualityComparer<int>.Default);
        for (var i = 0; i < 40; i++)
        {
            table.Put(i, 2, i);
        }

        for (var i = 40; i < 100; i++)
        {
            table.Put(i, 1, i);
        }

        // The version moved to 2: the 60 entries of version 1 can never answer again and go; the
        // 40 current ones are under three quarters of the bound, so all of them stay.
        table.Put(100, 2, 100);

        Assert.All(Enumerable.Range(0, 40), i => Assert.True(table.TryGet(i, 2, out _)));
        Assert.Equal(41, table.Writes);
    }

    [Fact]
    public void VersionedTable_AnEvictedKey_MissesAndRefillsWithTheNewAnswer()
    {
        var table = new VersionedTable<int, string>("test", capacity: 100, maxBytes: 1 << 30, static (_, v) => CacheSizes.Of(v), EqualityComparer<int>.Default);
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                table.Put((round * 100) + i, 1, "old");
            }
        }

        // Past the bound a key is admitted on its second miss (ADR 0043).
        var evicted = Enumerable.Range(0, 2_000).First(i => !table.TryGet(i, 1, out _));
        table.Put(evicted, 1, "new");
        table.Put(evicted, 1, "new");

        Assert.True(table.TryGet(evicted, 1, out var value));
        Assert.Equal("new", value);
        Assert.False(table.TryGet(evicted, 2, out _));
        Assert.InRange(table.Writes, 1, 100);
    }

    [Fact]
    public void VersionedTable_ByteBound_EvictsDownToThreeQuarters()
    {
        const int Budget = 100 * (int)(VersionedTable<int, string>.EntryOverhead + 24 + 200);
        var table = new VersionedTable<int, string>("test", capacity: 1_000_000, maxBytes: Budget, static (_, v) => CacheSizes.Of(v), EqualityComparer<int>.Default);

        for (var i = 0; i < 10_000; i++)
        {
            table.Put(i, 1, new string('v', 100));
            Assert.InRange(table.Bytes, 1, table.MaxBytes);
        }

        Assert.InRange(Enumerable.Range(0, 10_000).Count(i => table.TryGet(i, 1, out _)), 50, 100);
    }

    [Fact]
    public void VersionedTable_OnceKeysDoNotFit_KeysAskedOnceDoNotPushOutTheOnesAskedAgain()
    {
        var table = new VersionedTable<int, int>("test", capacity: 100, maxBytes: 1 << 30, static (_, _) => 8, EqualityComparer<int>.Default);
        for (var i = 0; i <= 100; i++)
        {
            table.Put(i, 1, i);
        }

        var hot = Enumerable.Range(0, 101).Where(i => table.TryGet(i, 1, out _)).ToList();
        Assert.InRange(hot.Count, 55, 76);

        // A thousand keys asked once each (decisions spread over a million grants): at most a few
        // get in (two keys can share a bit of the filter), so no eviction runs and the kept ones stay.
        for (var i = 1_000; i < 2_000; i++)
        {
            table.Put(i, 1, i);
        }

        Assert.InRange(Enumerable.Range(1_000, 1_000).Count(i => table.TryGet(i, 1, out _)), 0, 20);
        Assert.All(hot, i => Assert.True(table.TryGet(i, 1, out _)));

        // Asked again, a key is admitted.
        var again = Enumerable.Range(1_000, 1_000).First(i => !table.TryGet(i, 1, out _));
        table.Put(again, 1, again);
        Assert.True(table.TryGet(again, 1, out _));
    }
}
