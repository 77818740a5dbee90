using System.Text.Json;

namespace Gatehouse.Bench.Load;

/// <summary>
/// <c>load --url URL [--body FILE] [--rate 1000] [--duration 10] [--warmup 3] [--connections 64] [--format text|json]</c>:
/// an open-loop run at a fixed request rate (see <see cref="OpenLoopLoad"/>). With a body the
/// request is a POST of JSON. The bearer token comes from --token or GATEHOUSE_BENCH_TOKEN.
/// </summary>
internal static class LoadCommand
{
    public const string TokenVariable = "GATEHOUSE_BENCH_TOKEN";

    public static int Run(Arguments arguments)
    {
        var url = Uri.TryCreate(arguments.Required("url"), UriKind.Absolute, out var u) ? u : throw new ArgumentException("--url must be an absolute http URL");
        var body = arguments.Option("body") is { } file ? File.ReadAllBytes(file) : null;
        var token = arguments.Option("token") ?? Environment.GetEnvironmentVariable(TokenVariable);
        var rate = arguments.Int("rate", 1000);
        var duration = TimeSpan.FromSeconds(arguments.Int("duration", 10));
        var warmup = TimeSpan.FromSeconds(arguments.Int("warmup", 3));
        var format = arguments.Option("format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new ArgumentException("--format is text or json");
        }

        using var load = new OpenLoopLoad(url, body is null ? HttpMethod.Get : HttpMethod.Post, body, string.IsNullOrEmpty(token) ? null : token, arguments.Int("connections", 64));
        var warm = load.Run(rate, warmup); // jits both sides and opens the connections; not reported
        var result = load.Run(rate, duration);
        Console.WriteLine(format == "json" ? JsonSerializer.Serialize(result, LatencySummary.Json) : $"warm-up: {warm}\n{result}");
        return result.Failed == 0 ? 0 : 1;
    }
}
