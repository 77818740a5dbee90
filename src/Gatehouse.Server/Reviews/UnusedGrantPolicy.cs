using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Reviews;

/// <summary>
/// <c>revokeUnusedAfterDays</c> on an environment (ADR 0032): an active grant there whose last use
/// (or, never used, its approval) is older than that is revoked by policy. This replica's
/// unflushed uses are written first, so a grant in use here is never taken for unused.
/// </summary>
internal static class UnusedGrantPolicy
{
    public static async Task<int> RunOnceAsync(IGatehouseStore store, IUsageStore usage, UsageRecorder? recorder, TimeProvider time, CancellationToken ct)
    {
        if ((await store.GetOrganisationAsync(ct))?.Organisation.Environments.Where(e => e.RevokeUnusedAfterDays is not null).ToList() is not { Count: > 0 } environments)
        {
            return 0;
        }

        if (recorder is not null)
        {
            await recorder.FlushAsync(usage, ct);
        }

        var revoked = 0;
        var now = time.GetUtcNow();
        foreach (var environment in environments)
        {
            var days = environment.RevokeUnusedAfterDays!.Value;
            var grants = await store.ListGrantsAsync(new GrantQuery(Environment: environment.Name, ActiveOnly: true, Limit: 10_000), ct);
            var lastUse = await usage.GrantLastUseAsync(grants.Select(g => g.Id), ct);
            foreach (var grant in grants)
            {
                var since = lastUse.TryGetValue(grant.Id, out var at) ? at : grant.GrantedAt;
                if (since <= now.AddDays(-days)
                    && await store.RevokeUnusedGrantAsync(grant.Id, $"unused for {days} days (last {(lastUse.ContainsKey(grant.Id) ? "used" : "approved")} {since:yyyy-MM-dd}); the policy of {environment.Name}", ct))
                {
                    revoked++;
                }
            }
        }

        return revoked;
    }
}
