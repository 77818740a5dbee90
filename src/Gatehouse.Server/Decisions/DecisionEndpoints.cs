using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Checks;
using Gatehouse.Server.OAuth;
using Gatehouse.Storage;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Decisions;

/// <summary>
/// <c>POST /api/v1/decisions</c>: may app A use scope S of app B in environment E? One query, or
/// a batch answered in order with one store round trip. For gateways and sidecars holding a
/// Gatehouse token. Fails closed: if the store cannot answer, every decision is a deny.
/// </summary>
internal static class DecisionEndpoints
{
    public const int MaxQueries = 1000;

    internal sealed record DecisionQuery(string? App, string? Scope, string? Environment);

    internal sealed record DecisionBody(string? App, string? Scope, string? Environment, IReadOnlyList<DecisionQuery>? Queries);

    internal sealed record Decision(string App, string Scope, string Environment, bool Allow, string State, string Reason, long? RequestId = null, DateTimeOffset? ExpiresAt = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/decisions", DecideAsync).WithName("Decide").WithMetadata(ReadsOnly.Instance)
            .WithSummary("May app A use scope S of app B in environment E? One query or a batch; fails closed");

    private static async Task<IResult> DecideAsync(DecisionBody body, HttpContext http, DecisionCache cache, Usage.UsageRecorder usage, ILoggerFactory loggers, CancellationToken ct)
    {
        var single = body.Queries is null;
        var queries = body.Queries ?? [new DecisionQuery(body.App, body.Scope, body.Environment)];
        if (queries.Count is 0 or > MaxQueries)
        {
            return ApiProblems.Result(400, OAuthErrors.DecisionBatchSize, $"Send one query (`app`, `scope`, `environment`) or `queries` with 1 to {MaxQueries} of them.");
        }

        var keys = new AccessKey[queries.Count];
        string?[]? invalid = null;
        for (var i = 0; i < keys.Length; i++)
        {
            var q = queries[i];
            var colon = q?.Scope?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (q is null || string.IsNullOrWhiteSpace(q.App) || string.IsNullOrWhiteSpace(q.Environment) || colon <= 0 || colon == q.Scope!.Length - 1)
            {
                var where = single ? "The query" : $"queries[{i}]";
                return ApiProblems.Result(400, OAuthErrors.DecisionQueryIncomplete, $"{where} needs `app` (the consumer), `scope` as provider:scope (customers:profile.read) and `environment`.");
            }

            keys[i] = new AccessKey(q.App, q.Scope[..colon], q.Scope[(colon + 1)..], q.Environment);

            // A name no manifest can declare was never requested: deny it without a lookup, so it
            // never reaches the store or the cache.
            if (AccessNames.Problem(keys[i].Consumer, keys[i].Provider, keys[i].Scope, keys[i].Environment) is { } problem)
            {
                (invalid ??= new string?[keys.Length])[i] = problem;
            }
        }

        Decision[] decisions;
        try
        {
            var lookup = invalid is null ? keys : [.. keys.Where((_, i) => invalid[i] is null)];
            var checks = lookup.Length == 0 ? [] : await cache.CheckAsync(lookup, await cache.VersionAsync(http), ct);
            usage.Allowed(checks);
            var byKey = new Dictionary<AccessKey, AccessCheck>(checks.Count);
            foreach (var check in checks)
            {
                byKey[check.Key] = check;
            }

            decisions = new Decision[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                decisions[i] = invalid?[i] is { } problem ? DecisionReasons.Invalid(keys[i], problem)
                    : byKey.TryGetValue(keys[i], out var c) ? DecisionReasons.From(c)
                    : DecisionReasons.Unknown(keys[i]);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(DecisionEndpoints)).LogError(e, "Decision failed closed");
            decisions = [.. keys.Select(DecisionReasons.Failed)];
        }

        var allowed = 0;
        foreach (var decision in decisions)
        {
            allowed += decision.Allow ? 1 : 0;
        }

        Observability.GatehouseMetrics.Decided("decisions", allowed, decisions.Length - allowed);
        return JsonApiResult.Ok(single ? decisions[0] : new { decisions });
    }
}
