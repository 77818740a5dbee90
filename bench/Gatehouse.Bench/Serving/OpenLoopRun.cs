using System.Text.Json;
using Gatehouse.Bench.Load;
using Gatehouse.Bench.Measuring;

namespace Gatehouse.Bench.Serving;

/// <summary>Runs <c>load</c> as a child process (so it can be pinned to the load core) and reads its JSON summary.</summary>
internal static class OpenLoopRun
{
    public static LatencySummary Run(Uri url, string? bodyFile, string? token, int rate, int seconds, int warmup, CpuPinning pinning)
    {
        List<string> command = [.. Measurement.SelfCommand(), "load", "--url", url.ToString(), "--rate", $"{rate}", "--duration", $"{seconds}", "--warmup", $"{warmup}", "--format", "json"];
        if (bodyFile is not null)
        {
            command.AddRange(["--body", bodyFile]);
        }

        var environment = new Dictionary<string, string> { [LoadCommand.TokenVariable] = token ?? "" };
        var run = ChildRun.Run(pinning.Load(command), TimeSpan.FromSeconds(seconds + warmup + 60), environment);
        var json = run.Output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        return json is not null && !run.TimedOut
            ? JsonSerializer.Deserialize<LatencySummary>(json, LatencySummary.Json)!
            : throw new InvalidOperationException(run.Describe("load"));
    }
}
