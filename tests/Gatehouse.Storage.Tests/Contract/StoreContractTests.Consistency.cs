using System.Diagnostics;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>
/// The change version a replica answers at (ADR 0033): its own changes at once, another
/// replica's when signalled and never later than the stated bound, and the database's own
/// version whenever a caller asks for full consistency or for at least a version it was given.
/// </summary>
public abstract partial class StoreContractTests
{
    /// <summary>Whether another replica's commit is seen by the next "latest" read (SQLite: shared memory) or when its notification arrives (PostgreSQL).</summary>
    protected abstract bool SignalsOtherReplicasAtOnce { get; }

    [StoreFact]
    public async Task A_replica_answers_its_own_change_at_once_at_latest_consistency()
    {
        await SeedAsync();
        var before = await Store.ChangeVersionAsync(ChangeConsistency.Latest);

        await DecideOkAsync(Key("staging"), User("bob"));

        var after = await Store.ChangeVersionAsync(ChangeConsistency.Latest);
        Assert.True(after > before, $"the approval moved the version ({before} -> {after})");
        Assert.Equal(await Store.ChangeVersionAsync(), after);
    }

    [StoreFact]
    public async Task A_revocation_through_another_replica_is_in_every_full_and_at_least_answer_at_once_and_in_latest_within_the_bound()
    {
        await SeedAsync();
        await DecideOkAsync(Key("staging"), User("bob"));
        var grant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "billing", Environment: "staging")));
        var replica = await OpenStoreAsync(Options);
        var before = await Store.ChangeVersionAsync(ChangeConsistency.Latest);

        Assert.True((await replica.RevokeAsync(grant.Id, User("bob"), "no longer needed", null)).Succeeded);
        var committed = await replica.ChangeVersionAsync(ChangeConsistency.Latest);

        Assert.True(committed > before);
        Assert.Equal(committed, await Store.ChangeVersionAsync(ChangeConsistency.Full));
        Assert.True(await Store.ChangeVersionAsync(ChangeConsistency.AtLeastVersion(committed)) >= committed);
        if (SignalsOtherReplicasAtOnce)
        {
            Assert.Equal(committed, await Store.ChangeVersionAsync(ChangeConsistency.Latest));
        }
        else
        {
            var waited = await LatestReachesAsync(Store, committed, IGatehouseStore.MaxKnownVersionAge + TimeSpan.FromSeconds(2));
            Assert.True(waited is not null, "a latest answer must include another replica's change within the bound");
        }
    }

    [StoreFact]
    public async Task A_version_asked_at_least_beyond_anything_committed_is_answered_at_the_database_version()
    {
        await SeedAsync();
        var head = await Store.ChangeVersionAsync();

        Assert.Equal(head, await Store.ChangeVersionAsync(ChangeConsistency.AtLeastVersion(head + 1000)));
    }

    /// <summary>Polls "latest" until it reaches <paramref name="version"/>; returns how long it took, or null.</summary>
    protected static async Task<TimeSpan?> LatestReachesAsync(IGatehouseStore store, long version, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await store.ChangeVersionAsync(ChangeConsistency.Latest) >= version)
            {
                return clock.Elapsed;
            }

            await Task.Delay(5);
        }

        return null;
    }
}
