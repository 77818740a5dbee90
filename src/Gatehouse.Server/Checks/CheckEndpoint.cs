using System.Text.Json;
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
        // Singletons taken once: resolving them per request would open a service scope for each check.
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var cache = services.GetRequiredService<DecisionCache>();
        var usage = services.GetRequiredService<Usage.UsageRecorder>();
        var time = services.GetRequiredService<TimeProvider>();
        api.MapPost("/check", (Func<HttpContext, Task<IResult>>)(http => CheckAsync(http, cache, usage, time)))
            .WithName("Check").WithMetadata(ReadsOnly.Instance)
            .Accepts<CheckBody>("application/json")
            .Produces<CheckResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("The CI gate: the state of each needed access in one environment");
    }

    private static async Task<IResult> CheckAsync(HttpContext http, DecisionCache cache, Usage.UsageRecorder usage, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (await HotJson.ReadAsync<CheckBody>(http, ParseBody) is not { } body)
        {
            return Results.Empty;
        }

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

        return new HotJsonResult<CheckResponse>(new CheckResponse(body.Environment, granted, results), Write);
    }

    /// <summary><c>{"environment": ..., "needs": [{"consumer", "provider", "scope"}]}</c> as clients send it; false for anything else (see <see cref="HotJson"/>).</summary>
    internal static bool ParseBody(ref Utf8JsonReader reader, out CheckBody? body)
    {
        body = null;
        if (!HotJson.Next(ref reader, JsonTokenType.StartObject))
        {
            return false;
        }

        string? environment = null;
        List<NeededAccess>? needs = null;
        bool seenEnvironment = false, seenNeeds = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!seenEnvironment && reader.ValueTextEquals("environment"u8))
            {
                seenEnvironment = true;
                if (!HotJson.TryString(ref reader, out environment))
                {
                    return false;
                }
            }
            else if (!seenNeeds && reader.ValueTextEquals("needs"u8))
            {
                seenNeeds = true;
                if (!reader.Read() || (reader.TokenType != JsonTokenType.Null && !HotJson.TryArray(ref reader, needs = [], ParseNeed)))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        body = new CheckBody(environment, needs);
        return true;
    }

    /// <summary>One need's object, the reader on its start; false for anything but the three names, each once, strings or null.</summary>
    private static bool ParseNeed(ref Utf8JsonReader reader, out NeededAccess? need)
    {
        need = null;
        string? consumer = null, provider = null, scope = null;
        bool seenConsumer = false, seenProvider = false, seenScope = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = !seenConsumer && reader.ValueTextEquals("consumer"u8) ? seenConsumer = HotJson.TryString(ref reader, out consumer)
                : !seenProvider && reader.ValueTextEquals("provider"u8) ? seenProvider = HotJson.TryString(ref reader, out provider)
                : !seenScope && reader.ValueTextEquals("scope"u8) && (seenScope = HotJson.TryString(ref reader, out scope));
            if (!ok)
            {
                return false;
            }
        }

        need = new NeededAccess(consumer!, provider!, scope!);
        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>The answer, exactly as <see cref="ApiJson.Options"/> writes a <see cref="CheckResponse"/>.</summary>
    internal static void Write(Utf8JsonWriter writer, CheckResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString("environment"u8, response.Environment);
        writer.WriteBoolean("granted"u8, response.Granted);
        writer.WriteStartArray("results"u8);
        // Index loops: through the interfaces, foreach boxes an enumerator per list.
        var results = response.Results;
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            writer.WriteStartObject();
            writer.WriteString("consumer"u8, r.Consumer);
            writer.WriteString("provider"u8, r.Provider);
            writer.WriteString("scope"u8, r.Scope);
            JsonEnumNames<AccessState>.Write(writer, "state"u8, r.State);
            if (r.RequestId is { } id)
            {
                writer.WriteNumber("requestId"u8, id);
            }

            writer.WriteStartArray("approvers"u8);
            var approvers = r.Approvers;
            for (var j = 0; j < approvers.Count; j++)
            {
                writer.WriteStringValue(approvers[j]);
            }

            writer.WriteEndArray();
            if (r.ExpiresAt is { } expiresAt)
            {
                writer.WriteString("expiresAt"u8, expiresAt);
            }

            if (r.Policy is { } policy)
            {
                writer.WriteString("policy"u8, policy);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
