using Gatehouse.Core.Access;
using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Tests.Usage;

/// <summary>
/// The recorder keeps a cell only while it is in use (ADR 0043): at a million grants, a cell for
/// every grant ever used held hundreds of MB. Dropping idle cells must never lose a use.
/// </summary>
public sealed class UsageRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_cell_is_dropped_once_its_use_is_written_and_a_later_use_is_written_again()
    {
        var clock = new Clock(Start);
        using var recorder = new UsageRecorder(new UsageOptions(), clock);
        var store = new RecordingStore();

        recorder.Allowed([Granted("billing"), Granted("orders")]);
        recorder.TokenAuthenticated("tok_a");
        Assert.Equal(3, recorder.Cells);
        Assert.Equal(3, await recorder.FlushAsync(store, default));
        Assert.Equal(0, recorder.Cells);

        // A use after the drop makes a new cell, and its newer time reaches the store.
        clock.Now = Start.AddSeconds(10);
        recorder.Allowed([Granted("orders")]);
        recorder.TokenAuthenticated("tok_a");
        Assert.Equal(2, await recorder.FlushAsync(store, default));
        Assert.Equal(Start.AddSeconds(10), store.Grants["orders"]);
        Assert.Equal(Start.AddSeconds(10), store.Tokens["tok_a"]);
        Assert.Equal(Start, store.Grants["billing"]);
        Assert.Equal(0, await recorder.FlushAsync(store, default));
    }

    [Fact]
    public async Task A_cell_used_while_its_flush_is_written_is_kept_and_its_new_use_written_next()
    {
        var clock = new Clock(Start);
        using var recorder = new UsageRecorder(new UsageOptions(), clock);
        recorder.Allowed([Granted("billing"), Granted("orders")]);
        var store = new RecordingStore
        {
            During = () =>
            {
                clock.Now = Start.AddSeconds(1);
                recorder.Allowed([Granted("billing")]);
            },
        };

        Assert.Equal(2, await recorder.FlushAsync(store, default));
        Assert.Equal(1, recorder.Cells);

        Assert.Equal(1, await recorder.FlushAsync(new RecordingStore(), default));
        Assert.Equal(0, recorder.Cells);
        Assert.Equal(Start, store.Grants["billing"]);
    }

    [Fact]
    public async Task A_failed_flush_drops_nothing_that_was_not_written()
    {
        var clock = new Clock(Start);
        using var recorder = new UsageRecorder(new UsageOptions(), clock);
        recorder.Allowed([Granted("billing")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => recorder.FlushAsync(new RecordingStore { Fail = true }, default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => recorder.FlushAsync(new RecordingStore { Fail = true }, default));

        var store = new RecordingStore();
        Assert.Equal(1, await recorder.FlushAsync(store, default));
        Assert.Equal(Start, store.Grants["billing"]);
    }

    [Fact]
    public async Task Uses_racing_with_flushes_that_drop_cells_all_reach_the_store()
    {
        var clock = new Clock(Start);
        using var recorder = new UsageRecorder(new UsageOptions(), clock);
        var store = new RecordingStore();
        const int Apps = 50;
        const int Rounds = 200;

        // Each round every app is used at a later time while flushes (which drop the cells idle
        // since the one before) run on another thread; the newest time of every app must be written.
        using var done = new CancellationTokenSource();
        var flusher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await recorder.FlushAsync(store, default);
            }
        });
        for (var round = 1; round <= Rounds; round++)
        {
            clock.Now = Start.AddMilliseconds(round);
            Parallel.For(0, Apps, i => recorder.Allowed([Granted($"app-{i}")]));
        }

        await done.CancelAsync();
        await flusher;
        await recorder.FlushAsync(store, default);

        Assert.All(Enumerable.Range(0, Apps), i => Assert.Equal(Start.AddMilliseconds(Rounds), store.Grants[$"app-{i}"]));
    }

    private static AccessCheck Granted(string consumer) =>
        new(new AccessKey(consumer, "customers", "profile.read", "development"), AccessState.Granted, 1, []);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Keeps the newest time per consumer and token, as the store's forward-only update does.</summary>
    private sealed class RecordingStore : IUsageStore
    {
        public Dictionary<string, DateTimeOffset> Grants { get; } = [];

        public Dictionary<string, DateTimeOffset> Tokens { get; } = [];

        public bool Fail { get; init; }

        /// <summary>Runs while the batch is being written, once.</summary>
        public Action? During { get; set; }

        public Task WriteAsync(UsageBatch batch, CancellationToken ct = default)
        {
            if (Fail)
            {
                throw new InvalidOperationException("the store is down");
            }

            var during = During;
            During = null;
            during?.Invoke();

            lock (Grants)
            {
                foreach (var g in batch.Grants)
                {
                    Grants[g.Consumer] = Grants.TryGetValue(g.Consumer, out var at) && at > g.At ? at : g.At;
                }

                foreach (var t in batch.Tokens)
                {
                    Tokens[t.Id] = Tokens.TryGetValue(t.Id, out var at) && at > t.At ? at : t.At;
                }
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<long, DateTimeOffset>> GrantLastUseAsync(IEnumerable<long> grantIds, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, CredentialLastUse>> TokenLastUseAsync(IEnumerable<string> tokenIds, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, CredentialLastUse>> ClientLastUseAsync(IEnumerable<string> clientIds, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
