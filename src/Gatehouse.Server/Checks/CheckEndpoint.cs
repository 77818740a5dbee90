using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Checks;

/// <summary>
/// The CI gate: is every needed access granted in one environment? Answers per access with
/// its state and who can approve it. A deploy token may check only its own app.
/// </summary>
internal static class CheckEndpoint
{
    public const int MaxNeeds = 10_000;

    internal sealed record NeededAccess(string Consumer, string Provider, string Scope);

    internal sealed record CheckBody(string? Environment, IReadOnlyList<NeededAccess>? Needs);

    /// <param name="ExpiresAt">When the grant ends (granted) or ended (expired, or pending renewal); absent when it has no end.</param>
    /// <param name="Policy">The environment policy that blocks the grant now (ADR 0031), in words; absent when none does.</param>
    internal sealed record CheckResultView(string Consumer, string Provider, string Scope, AccessState State, long? RequestId, IReadOnlyList<string> Approvers, DateTimeOffset? ExpiresAt = null, string? Policy = null);

    internal sealed record CheckResponse(string Environment, bool Granted, IReadOnlyList<CheckResultView> Results);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/check", async (CheckBody body, HttpContext http, DecisionCache cache, Usage.UsageRecorder usage, TimeProvider time, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Environment))
            {
                return ApiProblems.Result(400, ApiErrors.EnvironmentRequired, "`environment` is required: the environment being deployed to.");
            }

            var needs = body.Needs ?? [];
            if (needs.Count > MaxNeeds)
            {
                return ApiProblems.Result(413, ApiErrors.TooManyNeeds, $"At most {MaxNeeds} needs per check.");
            }

            var keys = new AccessKey[needs.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                var n = needs[i];
                if (n is null || string.IsNullOrEmpty(n.Consumer) || string.IsNullOrEmpty(n.Provider) || string.IsNullOrEmpty(n.Scope))
                {
                    return ApiProblems.Result(400, ApiErrors.NeedIncomplete, $"needs[{i}] must have consumer, provider and scope.");
                }

                // Names that no manifest can declare are refused before any lookup: they can never be
                // granted, and a cache keyed by them would grow with whatever a caller invents.
                if (AccessNames.Problem(n.Consumer, n.Provider, n.Scope, body.Environment) is { } problem)
                {
                    return ApiProblems.Result(400, ApiErrors.InvalidName, $"needs[{i}]: {problem}");
                }

                keys[i] = new AccessKey(n.Consumer, n.Provider, n.Scope, body.Environment);
            }

            var actor = http.User.ToActor();
            if (actor.Kind == ActorKind.App)
            {
                foreach (var key in keys)
                {
                    if (key.Consumer != actor.Name)
                    {
                        return ApiProblems.Result(403, ApiErrors.DeployTokenForeignApp, $"The deploy token of `{actor.Name}` may check only its own app, not `{key.Consumer}`.");
                    }
                }
            }

            var version = await cache.VersionAsync(http);
            var checks = await cache.CheckAsync(keys, version, ct);
            usage.Allowed(checks);
            var results = new CheckResultView[checks.Count];
            var allowed = 0;
            for (var i = 0; i < results.Length; i++)
            {
                var c = checks[i];
                allowed += c.State == AccessState.Granted ? 1 : 0;
                results[i] = new CheckResultView(c.Key.Consumer, c.Key.Provider, c.Key.Scope, c.State, c.RequestId, c.Approvers, c.ExpiresAt);
            }

            Observability.GatehouseMetrics.Decided("check", allowed, results.Length - allowed);
            var granted = allowed == results.Length;

            // Only a check that fails pays for explaining why: the organisation is read then, never on a green check.
            if (!granted)
            {
                await PolicyExplanation.AddAsync(results, body.Environment, cache, version, time.GetUtcNow(), ct);
            }

            return JsonApiResult.Ok(new CheckResponse(body.Environment, granted, results));
        }).WithName("Check").WithMetadata(ReadsOnly.Instance)
            .Produces<CheckResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("The CI gate: the state of each needed access in one environment");
    }
}
