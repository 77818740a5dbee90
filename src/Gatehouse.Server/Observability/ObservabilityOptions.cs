using Gatehouse.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Observability;

/// <summary>
/// What the server exports (docs/operations.md "Observability", ADR 0028): traces and metrics by
/// OTLP only when an endpoint is configured (<c>GATEHOUSE_OTLP_ENDPOINT</c>, or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> / <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> with the
/// other <c>OTEL_*</c> variables), and the access log (<c>GATEHOUSE_ACCESS_LOG</c>, on by default).
/// </summary>
public sealed class ObservabilityOptions
{
    /// <summary>GH4190: an OTLP endpoint that is not an absolute http or https URL.</summary>
    public const string InvalidOtlpEndpoint = "GH4190";

    /// <summary>GH4191: an access log switch other than on or off.</summary>
    public const string InvalidAccessLog = "GH4191";

    /// <summary>The base URL of an OTLP/HTTP receiver (<c>GATEHOUSE_OTLP_ENDPOINT</c>); <c>/v1/traces</c> and <c>/v1/metrics</c> are added.</summary>
    public Uri? GatehouseOtlpEndpoint { get; init; }

    /// <summary>The standard variables name an endpoint: the OpenTelemetry SDK reads them (and their protocol, headers, intervals) itself.</summary>
    public bool StandardOtlpConfigured { get; init; }

    /// <summary>Traces and OTLP metrics are exported only when this is true; otherwise no tracer exists at all.</summary>
    public bool OtlpEnabled => GatehouseOtlpEndpoint is not null || StandardOtlpConfigured;

    /// <summary>One line per request in the category <c>Gatehouse.Access</c> (<c>GATEHOUSE_ACCESS_LOG=on|off</c>).</summary>
    public bool AccessLog { get; init; } = true;

    public static ObservabilityOptions Load(IConfiguration config)
    {
        var problems = new List<string>();
        Uri? endpoint = null;
        if (config["GATEHOUSE_OTLP_ENDPOINT"] is { Length: > 0 } text)
        {
            if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo))
            {
                endpoint = uri;
            }
            else
            {
                problems.Add($"{InvalidOtlpEndpoint}: GATEHOUSE_OTLP_ENDPOINT must be the base URL of an OTLP/HTTP receiver, such as http://127.0.0.1:4318 (http or https, no query, no user info); the value given is not (and is not repeated here: it may hold a credential).");
            }
        }

        var accessLog = config["GATEHOUSE_ACCESS_LOG"] is { Length: > 0 } value ? value.Trim() : "on";
        if (accessLog is not ("on" or "off"))
        {
            problems.Add($"{InvalidAccessLog}: GATEHOUSE_ACCESS_LOG must be `on` or `off`, not `{accessLog}`.");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return new ObservabilityOptions
        {
            GatehouseOtlpEndpoint = endpoint,
            StandardOtlpConfigured = config["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } || config["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] is { Length: > 0 },
            AccessLog = accessLog == "on",
        };
    }
}
