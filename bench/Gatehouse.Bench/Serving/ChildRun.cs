using System.Diagnostics;

namespace Gatehouse.Bench.Serving;

/// <summary>One finished child process: exit code (-1 when killed at its time limit), wall time and output.</summary>
internal sealed record ChildRun(int ExitCode, double Seconds, string Output, string Errors)
{
    public bool TimedOut => ExitCode == -1;

    /// <summary>Runs <paramref name="command"/>; with <paramref name="outputFile"/> its standard output goes there and only the end is kept.</summary>
    public static ChildRun Run(IReadOnlyList<string> command, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null, string? outputFile = null)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var timer = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var output = outputFile is null ? process.StandardOutput.ReadToEndAsync() : CopyAsync(process.StandardOutput, outputFile);
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ChildRun(-1, timer.Elapsed.TotalSeconds, output.Result, errors.Result + $"\n(killed after {limit.TotalSeconds:F0} s)");
        }

        process.WaitForExit(); // flushes the redirected streams
        return new ChildRun(process.ExitCode, timer.Elapsed.TotalSeconds, output.Result, errors.Result);
    }

    private static async Task<string> CopyAsync(StreamReader output, string file)
    {
        await using (var stream = File.Create(file))
        {
            await output.BaseStream.CopyToAsync(stream);
        }

        using var reader = new StreamReader(file);
        reader.BaseStream.Seek(Math.Max(0, reader.BaseStream.Length - 4096), SeekOrigin.Begin);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The last non-empty line of the output, for a one-line summary.</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public string Describe(string what) =>
        $"{what} {(TimedOut ? "timed out" : $"exited {ExitCode}")}:\n{Tail(Errors)}{Tail(Output)}";

    private static string Tail(string text) => text.Length > 3000 ? "..." + text[^3000..] : text;
}
