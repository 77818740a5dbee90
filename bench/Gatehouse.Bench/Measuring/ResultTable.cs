namespace Gatehouse.Bench.Measuring;

/// <summary>Prints the comparison and checks the goals (docs/benchmarks.md); true when all pass.</summary>
internal static class ResultTable
{
    private const int GoalSize = 10_000;
    private const double GoalSeconds = 2.0;
    private const double GoalPeakMiB = 400;
    private const double GoalRatio = 1.5;

    public static bool Print(List<ResultRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"time: median of {rows[0].Validate.Count} runs; peak MB: worst run's peak RSS; ratio: validate/parse time; /1k: time per 1000 apps");
        Console.WriteLine($"{"apps",7} {"validate",9} {"peak MB",8} {"parse",9} {"peak MB",8} {"ratio",6} {"validate/1k",12} {"parse/1k",9}");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Size,7} {r.ValidateSeconds,7:F3} s {r.ValidatePeakMiB,8:F0} {r.ParseSeconds,7:F3} s {r.ParsePeakMiB,8:F0} {r.Ratio,6:F2} {r.PerThousand(r.ValidateSeconds),9:F0} ms {r.PerThousand(r.ParseSeconds),6:F0} ms");
        }

        if (rows.SelectMany(r => r.Validate.Concat(r.Parse)).FirstOrDefault(m => m.AtFloor) is { } low)
        {
            Console.WriteLine($"note: some peaks are at the measuring floor ({low.FloorMiB:F0} MB, the measuring process's own peak): those children used at most that");
        }

        var ok = rows.All(r => r.AllSucceeded);
        if (!ok)
        {
            Console.WriteLine("FAIL: a run exited with an error (output above); its times mean nothing");
        }

        for (var i = 1; i < rows.Count; i++)
        {
            var (before, after) = (rows[i - 1], rows[i]);
            Console.WriteLine($"growth {before.Size} -> {after.Size} apps: validate time x{after.ValidateSeconds / before.ValidateSeconds:F2} for x{(double)after.Size / before.Size:F2} the files (per-1000-files time x{after.PerThousand(after.ValidateSeconds) / before.PerThousand(before.ValidateSeconds):F2}; about 1 or below is linear)");
        }

        var goal = rows.FirstOrDefault(r => r.Size == GoalSize);
        if (goal is null)
        {
            Console.WriteLine($"goals are set at {GoalSize} apps; add {GoalSize} to --sizes to check them");
            return ok;
        }

        Console.WriteLine($"goals at {GoalSize} apps:");
        ok &= Check($"validate median {goal.ValidateSeconds:F2} s < {GoalSeconds} s", goal.ValidateSeconds < GoalSeconds);
        ok &= Check($"validate peak {goal.ValidatePeakMiB:F0} MB < {GoalPeakMiB} MB", goal.ValidatePeakMiB < GoalPeakMiB);
        ok &= Check($"validate/parse {goal.Ratio:F2} <= {GoalRatio}", goal.Ratio <= GoalRatio);
        return ok;
    }

    private static bool Check(string what, bool passed)
    {
        Console.WriteLine($"  {(passed ? "PASS" : "FAIL")}  {what}");
        return passed;
    }
}
