using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Observability;

/// <summary>
/// Request counts and latency per route and status class, served at <c>/metrics</c> in the
/// Prometheus text format; counters only, no labels with user data (a route pattern, never a path
/// with ids or names). Hand-written, and kept so now that prometheus-net 8 and OpenTelemetry 1.21
/// can be restored (they could not when this was written): OpenTelemetry's Prometheus exporter is
/// still a beta (1.20.1-beta.1), prometheus-net's request middleware would add a dependency and
/// more work per request on the check hot path to produce these same two series, and the metric
/// names are documented and read by the benchmarks. OTLP export can be added beside this when
/// traces are wanted (ADR 0008).
/// </summary>
internal sealed class RequestMetrics
{
    private static readonly double[] Buckets = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private readonly ConcurrentDictionary<(string Route, string Status), Series> _series = new();

    public async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var status = $"{context.Response.StatusCode / 100}xx";
            _series.GetOrAdd((route, status), _ => new Series()).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP gatehouse_http_requests_total HTTP requests by route pattern and status class.\n# TYPE gatehouse_http_requests_total counter\n");
        var series = _series.OrderBy(s => s.Key.Route, StringComparer.Ordinal).ThenBy(s => s.Key.Status, StringComparer.Ordinal).ToList();
        foreach (var ((route, status), s) in series)
        {
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {s.Count}\n");
        }

        text.Append("# HELP gatehouse_http_request_duration_seconds HTTP request duration.\n# TYPE gatehouse_http_request_duration_seconds histogram\n");
        foreach (var ((route, status), s) in series)
        {
            var labels = $"route=\"{route}\",status=\"{status}\"";
            for (var i = 0; i < Buckets.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"gatehouse_http_request_duration_seconds_bucket{{{labels},le=\"{Buckets[i]}\"}} {Interlocked.Read(ref s.BucketCounts[i])}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"gatehouse_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {s.Count}\n");
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_http_request_duration_seconds_sum{{{labels}}} {s.SumSeconds}\n");
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_http_request_duration_seconds_count{{{labels}}} {s.Count}\n");
        }

        return text.ToString();
    }

    private sealed class Series
    {
        public readonly long[] BucketCounts = new long[Buckets.Length];
        private long _count;
        private long _sumMicros;

        public long Count => Interlocked.Read(ref _count);

        public double SumSeconds => Interlocked.Read(ref _sumMicros) / 1e6;

        public void Observe(double seconds)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    Interlocked.Increment(ref BucketCounts[i]);
                }
            }
        }
    }
}
