using System.Globalization;

namespace Gatehouse.Portal.Bench;

/// <summary>The figures as a Markdown table, ready for docs/portal.md, with the 50 ms budget checked for the example.</summary>
internal static class ResultTable
{
    public const double BudgetMs = 50;

    public static void Print(IReadOnlyList<PageTiming> results, TextWriter output)
    {
        output.WriteLine($"Portal page server time (loopback round trip, ms), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| organisation | page | median | p95 | max | KiB |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Organisation} | {r.Page} | {r.MedianMs:F1} | {r.P95Ms:F1} | {r.MaxMs:F1} | {r.Bytes / 1024.0:F0} |"));
        }

        var example = results.Where(r => r.Organisation.StartsWith("example", StringComparison.Ordinal)).ToList();
        var over = example.Where(r => r.MedianMs > BudgetMs).ToList();
        output.WriteLine();
        output.WriteLine(over.Count == 0
            ? $"Example organisation: every page's median is under the {BudgetMs:F0} ms budget (slowest: {example.MaxBy(r => r.MedianMs)?.Page}, {example.Max(r => r.MedianMs):F1} ms)."
            : $"Example organisation: OVER the {BudgetMs:F0} ms budget: {string.Join(", ", over.Select(r => $"{r.Page} {r.MedianMs:F1} ms"))}.");
    }
}
