using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Checks;

/// <summary>
/// Says which environment policy (ADR 0031) blocks each access a check found missing: a freeze in
/// force, or a promotion whose earlier environment has no active grant yet.
/// </summary>
internal static class PolicyExplanation
{
    public static async Task AddAsync(CheckEndpoint.CheckResultView[] results, string environment, DecisionCache cache, long version, DateTimeOffset now, CancellationToken ct)
    {
        var definition = await cache.EnvironmentAsync(environment, version, ct);
        if (definition is null || (definition.Promotion is null && definition.Freezes.Count == 0))
        {
            return;
        }

        var freeze = definition.FrozenAt(now);
        var missing = Enumerable.Range(0, results.Length).Where(i => results[i].State != AccessState.Granted).ToList();
        IReadOnlyList<AccessCheck> earlier = [];
        if (definition.Promotion is { } from)
        {
            earlier = await cache.CheckAsync([.. missing.Select(i => new AccessKey(results[i].Consumer, results[i].Provider, results[i].Scope, from))], version, ct);
        }

        for (var m = 0; m < missing.Count; m++)
        {
            var reasons = new List<string>(2);
            if (definition.Promotion is { } promotion && earlier[m].State != AccessState.Granted)
            {
                reasons.Add($"{environment} requires promotion from {promotion}, where this access is {Names(earlier[m].State)}; get it granted in {promotion} first");
            }

            if (freeze is not null)
            {
                reasons.Add($"{environment} is {freeze}: no new grants except an admin's emergency approval");
            }

            if (reasons.Count > 0)
            {
                var i = missing[m];
                results[i] = results[i] with { Policy = string.Join("; ", reasons) };
            }
        }
    }

    private static string Names(AccessState state) => state switch
    {
        AccessState.NotRequested => "not requested",
        _ => state.ToString().ToLowerInvariant(),
    };
}
