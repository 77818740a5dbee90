using System.Text.Json;
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

    public static void Map(RouteGroupBuilder api)
    {
        // Singletons taken once: resolving them per request would open a service scope for each call.
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var cache = services.GetRequiredService<DecisionCache>();
        var usage = services.GetRequiredService<Usage.UsageRecorder>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DecisionEndpoints));
        api.MapPost("/decisions", (Func<HttpContext, Task<IResult>>)(http => DecideAsync(http, cache, usage, logger))).WithName("Decide").WithMetadata(ReadsOnly.Instance)
            .Accepts<DecisionBody>("application/json").WithTags(nameof(DecisionEndpoints))
            .WithSummary("May app A use scope S of app B in environment E? One query or a batch; fails closed");
    }

    private static async Task<IResult> DecideAsync(HttpContext http, DecisionCache cache, Usage.UsageRecorder usage, ILogger logger)
    {
        var ct = http.RequestAborted;
        if (await HotJson.ReadAsync<DecisionBody>(http, ParseBody) is not { } body)
        {
            return Results.Empty;
        }

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

            // The checks answer the looked-up keys in the order asked: walk them side by side.
            decisions = new Decision[keys.Length];
            var next = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                decisions[i] = invalid?[i] is { } problem ? DecisionReasons.Invalid(keys[i], problem)
                    : next < checks.Count && checks[next].Key == keys[i] ? DecisionReasons.From(checks[next++])
                    : DecisionReasons.Unknown(keys[i]);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Decision failed closed");
            decisions = [.. keys.Select(DecisionReasons.Failed)];
        }

        var allowed = 0;
        foreach (var decision in decisions)
        {
            allowed += decision.Allow ? 1 : 0;
        }

        Observability.GatehouseMetrics.Decided("decisions", allowed, decisions.Length - allowed);
        return single ? new HotJsonResult<Decision>(decisions[0], Write) : new HotJsonResult<Decision[]>(decisions, WriteBatch);
    }

    /// <summary>One query (<c>app</c>, <c>scope</c>, <c>environment</c>) or <c>queries</c>, as clients send them; false for anything else (see <see cref="HotJson"/>).</summary>
    internal static bool ParseBody(ref Utf8JsonReader reader, out DecisionBody? body)
    {
        body = null;
        if (!HotJson.Next(ref reader, JsonTokenType.StartObject) || !ParseQuery(ref reader, out var query, out var queries))
        {
            return false;
        }

        body = new DecisionBody(query.App, query.Scope, query.Environment, queries);
        return true;
    }

    /// <summary>The properties of one query object (and, at the top level, <c>queries</c>), up to its end.</summary>
    private static bool ParseQuery(ref Utf8JsonReader reader, out DecisionQuery query, out List<DecisionQuery>? queries, bool nested = false)
    {
        query = null!;
        queries = null;
        string? app = null, scope = null, environment = null;
        bool seenApp = false, seenScope = false, seenEnvironment = false, seenQueries = nested;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (!seenApp && reader.ValueTextEquals("app"u8))
            {
                ok = seenApp = HotJson.TryString(ref reader, out app);
            }
            else if (!seenScope && reader.ValueTextEquals("scope"u8))
            {
                ok = seenScope = HotJson.TryString(ref reader, out scope);
            }
            else if (!seenEnvironment && reader.ValueTextEquals("environment"u8))
            {
                ok = seenEnvironment = HotJson.TryString(ref reader, out environment);
            }
            else if (!seenQueries && reader.ValueTextEquals("queries"u8))
            {
                seenQueries = true;
                ok = reader.Read() && (reader.TokenType == JsonTokenType.Null || HotJson.TryArray(ref reader, queries = [], ParseBatchQuery));
            }
            else
            {
                ok = false;
            }

            if (!ok)
            {
                return false;
            }
        }

        query = new DecisionQuery(app, scope, environment);
        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>One query of a batch, the reader on its start.</summary>
    private static bool ParseBatchQuery(ref Utf8JsonReader reader, out DecisionQuery? query)
    {
        var ok = ParseQuery(ref reader, out var parsed, out _, nested: true);
        query = parsed;
        return ok;
    }

    /// <summary>One decision, exactly as <see cref="ApiJson.Options"/> writes a <see cref="Decision"/>.</summary>
    internal static void Write(Utf8JsonWriter writer, Decision d)
    {
        writer.WriteStartObject();
        writer.WriteString("app"u8, d.App);
        writer.WriteString("scope"u8, d.Scope);
        writer.WriteString("environment"u8, d.Environment);
        writer.WriteBoolean("allow"u8, d.Allow);
        writer.WriteString("state"u8, d.State);
        writer.WriteString("reason"u8, d.Reason);
        if (d.RequestId is { } id)
        {
            writer.WriteNumber("requestId"u8, id);
        }

        if (d.ExpiresAt is { } expiresAt)
        {
            writer.WriteString("expiresAt"u8, expiresAt);
        }

        writer.WriteEndObject();
    }

    /// <summary>A batch: <c>{"decisions": [...]}</c>.</summary>
    internal static void WriteBatch(Utf8JsonWriter writer, Decision[] decisions)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("decisions"u8);
        foreach (var d in decisions)
        {
            Write(writer, d);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
