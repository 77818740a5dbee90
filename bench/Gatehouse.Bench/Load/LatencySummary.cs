using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Bench.Load;

/// <summary>What one open-loop run measured; latencies in milliseconds, from each request's scheduled send time.</summary>
internal sealed record LatencySummary(
    string Url,
    int Rate,
    double Seconds,
    int Scheduled,
    int Completed,
    int Failed,
    double AchievedRate,
    double P50,
    double P90,
    double P99,
    double P999,
    double Max,
    double SendLagP99,
    string? FirstFailure)
{
    /// <summary>How the summary travels from a <c>load</c> child to <c>server-bench</c>.</summary>
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Nearest-rank percentiles of <paramref name="ticks"/> (Stopwatch ticks); sorts it in place.</summary>
    public static (double P50, double P90, double P99, double P999, double Max) Percentiles(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(ticks);
        double At(double p) => Milliseconds(ticks[Math.Clamp((int)Math.Ceiling(p * ticks.Length) - 1, 0, ticks.Length - 1)]);
        return (At(0.50), At(0.90), At(0.99), At(0.999), Milliseconds(ticks[^1]));
    }

    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public override string ToString() =>
        $"{Url}: {Completed}/{Scheduled} answered in {Seconds:F1} s ({AchievedRate:F0}/s of {Rate}/s asked), {Failed} failed; " +
        $"latency ms p50 {P50:F2}  p90 {P90:F2}  p99 {P99:F2}  p99.9 {P999:F2}  max {Max:F2}; send lag p99 {SendLagP99:F2} ms" +
        (FirstFailure is null ? "" : $"; first failure: {FirstFailure}");
}
