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

    internal sealed record Decision(string App, string Scope, string Environment, bool Allow, string State, string Reason, long? RequestId = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/decisions", DecideAsync).WithName("Decide")
            .WithSummary("May app A use scope S of app B in environment E? One query or a batch; fails closed");

    private static async Task<IResult> DecideAsync(DecisionBody body, HttpContext http, DecisionCache cache, ILoggerFactory loggers, CancellationToken ct)
    {
        var single = body.Queries is null;
        var queries = body.Queries ?? [new DecisionQuery(body.App, body.Scope, body.Environment)];
        if (queries.Count is 0 or > MaxQueries)
        {
            return ApiProblems.Result(400, OAuthErrors.DecisionBatchSize, $"Send one query (`app`, `scope`, `environment`) or `queries` with 1 to {MaxQueries} of them.");
        }

        var keys = new AccessKey[queries.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var q = queries[i];
            var colon = q.Scope?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (string.IsNullOrWhiteSpace(q.App) || string.IsNullOrWhiteSpace(q.Environment) || colon <= 0 || colon == q.Scope!.Length - 1)
            {
                var where = single ? "The query" : $"queries[{i}]";
                return ApiProblems.Result(400, OAuthErrors.DecisionQueryIncomplete, $"{where} needs `app` (the consumer), `scope` as provider:scope (customers:profile.read) and `environment`.");
            }

            keys[i] = new AccessKey(q.App, q.Scope[..colon], q.Scope[(colon + 1)..], q.Environment);
        }

        Decision[] decisions;
        try
        {
            var checks = await cache.CheckAsync(keys, await cache.VersionAsync(http), ct);
            var byKey = checks.ToDictionary(c => c.Key);
            decisions = [.. keys.Select(k => byKey.TryGetValue(k, out var c) ? DecisionReasons.From(c) : DecisionReasons.Unknown(k))];
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(DecisionEndpoints)).LogError(e, "Decision failed closed");
            decisions = [.. keys.Select(DecisionReasons.Failed)];
        }

        return JsonApiResult.Ok(single ? decisions[0] : new { decisions });
    }
}
