using Gatehouse.Server.Health;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gatehouse.Server.Observability;

/// <summary>
/// Wires OpenTelemetry (ADR 0028). Metrics are always collected and served for Prometheus at
/// <c>/metrics</c>: every meter whose name starts with <c>Gatehouse</c>, ASP.NET Core's hosting
/// and Kestrel meters, the runtime's, HttpClient's and Npgsql's. Traces exist only when an OTLP
/// endpoint is configured: without one no tracer provider is built, nothing listens to an
/// <see cref="System.Diagnostics.ActivitySource"/>, and the request path pays nothing for them.
/// </summary>
internal static class ObservabilitySetup
{
    /// <summary>Request duration buckets, in seconds: fine below 10 ms, where the hot paths answer (the benchmarks read 1 and 2 ms).</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static void AddGatehouseObservability(this WebApplicationBuilder builder, ObservabilityOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<ServerGauges>();
        if (options.AccessLog)
        {
            services.AddSingleton<AccessLog>();
            services.AddHostedService(sp => sp.GetRequiredService<AccessLog>());
        }

        var otel = services.AddOpenTelemetry();
        if (builder.Configuration["OTEL_SERVICE_NAME"] is not { Length: > 0 })
        {
            otel.ConfigureResource(r => r.AddService("gatehouse", serviceVersion: HealthEndpoints.Version));
        }

        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter("Gatehouse*")
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Npgsql")
                .AddRuntimeInstrumentation()
                .AddHttpClientInstrumentation()
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
                .AddPrometheusExporter(o =>
                {
                    // Each scrape collects anew: a cached answer would hide what just happened.
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                    o.ScopeInfoEnabled = false;
                });
            if (options.OtlpEnabled)
            {
                metrics.AddOtlpExporter(o => Configure(o, options.GatehouseOtlpEndpoint, "v1/metrics"));
            }
        });

        if (options.OtlpEnabled)
        {
            otel.WithTracing(tracing => tracing
                .AddSource("Gatehouse*", "Npgsql")
                .AddAspNetCoreInstrumentation(o =>
                {
                    // The route template names the span; a query string may carry a secret.
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Configure(o, options.GatehouseOtlpEndpoint, "v1/traces")));
        }
    }

    /// <summary><c>GATEHOUSE_OTLP_ENDPOINT</c> is an OTLP/HTTP base URL; without it the SDK reads the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    private static void Configure(OtlpExporterOptions exporter, Uri? gatehouseEndpoint, string signalPath)
    {
        if (gatehouseEndpoint is not null)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(gatehouseEndpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
    }

    /// <summary>
    /// <c>GET /metrics</c>, anonymous and exempt from host filtering as before: counts the pending
    /// requests when the last count is stale, then answers in the Prometheus text format.
    /// </summary>
    public static void MapGatehouseMetrics(this WebApplication app)
    {
        var exporter = ((IApplicationBuilder)app).New();
        exporter.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null);
        var scrape = exporter.Build();
        app.MapGet("/metrics", async (HttpContext http, ServerGauges gauges) =>
            {
                await gauges.RefreshPendingAsync(http.RequestAborted);
                await scrape(http);
            })
            .AllowAnonymous().WithName("Metrics");
    }
}
