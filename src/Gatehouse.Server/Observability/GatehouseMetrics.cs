using System.Diagnostics.Metrics;

namespace Gatehouse.Server.Observability;

/// <summary>
/// The business counters of the <c>Gatehouse</c> meter (ADR 0028), exported with every other meter
/// whose name starts with <c>Gatehouse</c> at <c>/metrics</c> and by OTLP when configured. Static:
/// a counter that nobody listens to costs one branch, and one server runs per process. Tags are
/// closed sets (an endpoint, an outcome, a kind), never a name or a value a caller sends.
/// </summary>
internal static class GatehouseMetrics
{
    public const string MeterName = "Gatehouse";

    public static readonly Meter Meter = new(MeterName, Health.HealthEndpoints.Version);

    /// <summary><c>gatehouse_decisions_total{endpoint, outcome}</c>: answers of the decision API, the CI check and forward-auth.</summary>
    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "gatehouse.decisions", "{decision}", "Access decisions by endpoint (decisions, check, forward_auth) and outcome (allowed, denied).");

    /// <summary><c>gatehouse_tokens_issued_total{kind}</c>: access tokens (OAuth) and personal or deploy tokens (API).</summary>
    public static readonly Counter<long> TokensIssued = Meter.CreateCounter<long>(
        "gatehouse.tokens.issued", "{token}", "Tokens issued by kind (oauth_access, personal, deploy).");

    /// <summary><c>gatehouse_authentication_failures_total{kind}</c>.</summary>
    public static readonly Counter<long> AuthenticationFailures = Meter.CreateCounter<long>(
        "gatehouse.authentication.failures", "{failure}", "Refused authentications by kind (each is also logged at warning level).");

    /// <summary><c>gatehouse_rate_limited_total{limit}</c>.</summary>
    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "gatehouse.rate_limited", "{request}", "Requests answered 429 by the rate limit that refused them.");

    private static readonly KeyValuePair<string, object?> Allowed = new("outcome", "allowed");
    private static readonly KeyValuePair<string, object?> Denied = new("outcome", "denied");

    /// <summary>Counts <paramref name="allowed"/> and <paramref name="denied"/> answers of one endpoint.</summary>
    public static void Decided(string endpoint, long allowed, long denied)
    {
        if (!Decisions.Enabled)
        {
            return;
        }

        var source = new KeyValuePair<string, object?>("endpoint", endpoint);
        if (allowed > 0)
        {
            Decisions.Add(allowed, source, Allowed);
        }

        if (denied > 0)
        {
            Decisions.Add(denied, source, Denied);
        }
    }

    public static void Issued(string kind) => TokensIssued.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
