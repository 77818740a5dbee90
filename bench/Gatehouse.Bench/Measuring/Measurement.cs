using System.Diagnostics;
using System.Globalization;

namespace Gatehouse.Bench.Measuring;

/// <summary>
/// One timed run of a child process: wall time, peak RSS, and its output when it failed. When the
/// peak is not above <see cref="FloorMiB"/> the child's own peak is only known to be at most that.
/// </summary>
internal sealed record Measurement(int ExitCode, double Milliseconds, double PeakMiB, double FloorMiB, string FailureOutput)
{
    public bool AtFloor => PeakMiB <= FloorMiB;

    /// <summary>Runs <paramref name="command"/> under this executable's <c>measure</c> command.</summary>
    public static Measurement Take(IReadOnlyList<string> command)
    {
        var self = SelfCommand();
        var start = new ProcessStartInfo(self[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in self.Skip(1).Concat(["measure", "--"]).Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var wrapper = Process.Start(start) ?? throw new InvalidOperationException("could not start the measuring process");
        var errors = wrapper.StandardError.ReadToEndAsync();
        var report = wrapper.StandardOutput.ReadToEnd();
        wrapper.WaitForExit();
        var fields = report.Trim().Split(' ').Select(f => f.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        if (wrapper.ExitCode != 0 || !fields.TryGetValue("exit", out var exit))
        {
            throw new InvalidOperationException($"measuring {string.Join(' ', command)} failed: {report}{errors.Result}");
        }

        return new Measurement(
            int.Parse(exit, CultureInfo.InvariantCulture),
            double.Parse(fields["wall_ms"], CultureInfo.InvariantCulture),
            long.Parse(fields["maxrss_kib"], CultureInfo.InvariantCulture) / 1024.0,
            long.Parse(fields["floor_kib"], CultureInfo.InvariantCulture) / 1024.0,
            errors.Result);
    }

    /// <summary>How to start this program again: its apphost, or `dotnet Gatehouse.Bench.dll`.</summary>
    public static string[] SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(Measurement).Assembly.Location]
            : [process];
    }
}
