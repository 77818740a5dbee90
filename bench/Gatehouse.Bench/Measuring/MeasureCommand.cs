using System.Diagnostics;
using System.Globalization;

namespace Gatehouse.Bench.Measuring;

/// <summary>
/// <c>measure -- PROGRAM ARGS</c>: runs in a fresh process whose only child is PROGRAM, so that
/// getrusage(RUSAGE_CHILDREN) after the child exits is that child's peak RSS as the kernel kept
/// it; polling /proc/PID/status would miss a peak between two samples. One catch: exec(2) folds
/// the spawning process's own RSS high-water mark into the child's (fs/exec.c,
/// setmax_mm_hiwater_rss), so a reading is exact only above this process's peak, reported as the
/// floor. Prints one line, <c>exit=0 wall_ms=812.4 maxrss_kib=151234 floor_kib=27300</c>; the
/// child's output goes to our stderr only when it fails.
/// </summary>
internal static class MeasureCommand
{
    public static int Run(string[] command)
    {
        if (command.Length == 0)
        {
            throw new ArgumentException("measure needs a program to run");
        }

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        var timer = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        child.WaitForExit();
        timer.Stop();
        if (child.ExitCode != 0)
        {
            Console.Error.Write(output.Result);
            Console.Error.Write(errors.Result);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exit={child.ExitCode} wall_ms={timer.Elapsed.TotalMilliseconds:F1} maxrss_kib={ResourceUsage.PeakChildRssKiB()} floor_kib={ResourceUsage.OwnPeakRssKiB()}"));
        return 0;
    }
}
