using System.Globalization;
using Xunit;

namespace Gatehouse.Testing;

/// <summary>
/// Reads the Prometheus text of <c>/metrics</c> (OpenTelemetry's exporter, ADR 0028). Metrics are
/// per process (one server per process in production): a test that asserts a count runs in the
/// <see cref="Collection"/> collection, alone, and compares the value before and after what it does.
/// </summary>
public static class PrometheusText
{
    /// <summary>The xunit collection of tests that read counts from /metrics: run without other tests beside them.</summary>
    public const string Collection = "Metrics are per process";

    /// <summary>One sample: its name, labels and value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static async Task<string> ScrapeAsync(HttpClient client) => await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = 0;
            while (i < line.Length && line[i] is not ('{' or ' '))
            {
                i++;
            }

            var name = line[..i];
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    var eq = line.IndexOf('=', i);
                    var key = line[i..eq].Trim(',', ' ');
                    var value = new System.Text.StringBuilder();
                    var j = eq + 2; // past ="
                    while (line[j] != '"')
                    {
                        if (line[j] == '\\')
                        {
                            j++;
                            value.Append(line[j] == 'n' ? '\n' : line[j]);
                        }
                        else
                        {
                            value.Append(line[j]);
                        }

                        j++;
                    }

                    labels[key] = value.ToString();
                    i = j + 1;
                    if (line[i] == ',')
                    {
                        i++;
                    }
                }

                i++;
            }

            var parts = line[i..].Trim().Split(' ');
            var number = parts[0] switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, var n => double.Parse(n, CultureInfo.InvariantCulture) };
            samples.Add(new Sample(name, labels, number));
        }

        return samples;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> that carry every label given (0 when none does).</summary>
    public static double Value(string text, string name, params (string Key, string Value)[] labels) =>
        Parse(text).Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Whether a sample named <paramref name="name"/> carries every label given.</summary>
    public static bool Has(string text, string name, params (string Key, string Value)[] labels) =>
        Parse(text).Any(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
}

/// <summary>Tests that read counts from /metrics run alone (<see cref="PrometheusText.Collection"/>).</summary>
[CollectionDefinition(PrometheusText.Collection, DisableParallelization = true)]
public sealed class MetricsCollectionDefinition;
