using System.Globalization;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// The server's own view of a run: how many requests to one route it finished within 1 ms and
/// 2 ms, from the <c>http_server_request_duration_seconds</c> histogram of <c>/metrics</c>
/// read before and after. It starts when the request reaches the application and ends when the
/// answer is written, so it leaves out the network, the kernel's queues and the load generator:
/// beside the end-to-end latency it tells the server's tail apart from the machine's.
/// </summary>
internal sealed record ServerTiming(long Count, long Within1Ms, long Within2Ms)
{
    public double Share1Ms => Count == 0 ? 0 : (double)Within1Ms / Count;

    public double Share2Ms => Count == 0 ? 0 : (double)Within2Ms / Count;

    public static ServerTiming Read(Uri server, string route)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var lines = http.GetStringAsync(new Uri(server, "metrics")).GetAwaiter().GetResult().Split('\n');
        var routeLabel = $"http_route=\"{route}\"";
        long Value(string name, string label = "")
        {
            // ASP.NET Core's histogram through OpenTelemetry (ADR 0028): one series per method,
            // status and protocol; the answers that count are the 200s of this route.
            return lines.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(routeLabel, StringComparison.Ordinal)
                    && l.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
                .Sum(l => long.Parse(l[(l.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], CultureInfo.InvariantCulture));
        }

        const string Histogram = "http_server_request_duration_seconds";
        return new ServerTiming(Value(Histogram + "_count"), Value(Histogram + "_bucket", "le=\"0.001\""), Value(Histogram + "_bucket", "le=\"0.002\""));
    }

    public ServerTiming Since(ServerTiming before) => new(Count - before.Count, Within1Ms - before.Within1Ms, Within2Ms - before.Within2Ms);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"server time: {Share1Ms:P2} within 1 ms, {Share2Ms:P2} within 2 ms ({Count} requests)");
}
