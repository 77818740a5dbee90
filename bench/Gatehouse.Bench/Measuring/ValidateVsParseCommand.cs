using System.Diagnostics;
using System.Globalization;
using Gatehouse.Bench.Generation;

namespace Gatehouse.Bench.Measuring;

/// <summary>
/// <c>validate-vs-parse</c>: for each size, generates bench/out/N once, then times
/// `gatehouse validate bench/out/N` and `parse-only bench/out/N` as child processes, alternating,
/// after one untimed warm-up run of each (so neither pays for a cold page cache).
/// </summary>
internal static class ValidateVsParseCommand
{
    public static int Run(Arguments arguments)
    {
        var root = RepositoryRoot.Find();
        var sizes = (arguments.Option("sizes") ?? "10000,20000").Split(',').Select(s =>
            int.TryParse(s, CultureInfo.InvariantCulture, out var n) && n > 1 ? n : throw new ArgumentException($"--sizes takes app counts above 1, like 10000,20000; not '{s}'")).ToList();
        var runs = arguments.Int("runs", 3);
        var seed = arguments.Int("seed", 1);
        var gatehouse = arguments.Option("gatehouse") is { } given ? Path.GetFullPath(given) : PublishedCli(root);
        if (!File.Exists(gatehouse))
        {
            throw new ArgumentException($"--gatehouse: {gatehouse} does not exist");
        }

        var validating = SanityCheck.RejectsInvalidManifest(gatehouse, root);
        Console.WriteLine($"validate: {gatehouse} validate DIR");
        Console.WriteLine($"baseline: {string.Join(' ', BaselineCommand(gatehouse))} parse-only DIR");
        var rows = new List<ResultRow>();
        foreach (var size in sizes)
        {
            var data = Path.Combine(root, "bench", "out", size.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"[{size}] data in {Path.GetRelativePath(root, data)} (generated once, seed {seed})");
            GenerateCommand.EnsureGenerated(data, size, seed);
            string[] validate = [gatehouse, "validate", data];
            string[] parse = [.. BaselineCommand(gatehouse), "parse-only", data];
            Measurement.Take(validate);
            Measurement.Take(parse);
            var row = new ResultRow(size);
            for (var run = 1; run <= runs; run++)
            {
                row.Validate.Add(Show(size, "validate", run, Measurement.Take(validate)));
                row.Parse.Add(Show(size, "parse-only", run, Measurement.Take(parse)));
            }

            rows.Add(row);
        }

        var passed = ResultTable.Print(rows) && validating;
        Console.WriteLine(passed ? "RESULT: PASS" : $"RESULT: FAIL{(validating ? "" : " (the CLI accepted an invalid manifest, see the top)")}");
        return passed ? 0 : 1;
    }

    private static Measurement Show(int size, string what, int run, Measurement m)
    {
        Console.WriteLine($"[{size}] {what,-10} run {run}: {m.Milliseconds / 1000,6:F3} s {m.PeakMiB,7:F1} MB{(m.ExitCode == 0 ? "" : $"  EXIT {m.ExitCode}")}");
        if (m.ExitCode != 0)
        {
            Console.WriteLine(m.FailureOutput.Length > 2000 ? m.FailureOutput[..2000] + "..." : m.FailureOutput);
        }

        return m;
    }

    /// <summary>
    /// This program, run with the CLI's runtime settings when they sit next to it: tiered
    /// compilation, PGO and GC settings change these short runs by a factor of two or more, and the
    /// ratio must measure the validator's work, not a difference in settings.
    /// </summary>
    private static string[] BaselineCommand(string gatehouse)
    {
        var settings = Path.ChangeExtension(gatehouse, null) + ".runtimeconfig.json";
        var dotnet = Measurement.SelfCommand() is [var host, _] ? host : "dotnet";
        return File.Exists(settings)
            ? [dotnet, "exec", "--runtimeconfig", settings, typeof(ValidateVsParseCommand).Assembly.Location]
            : Measurement.SelfCommand();
    }

    // The real CLI by default, published once; run-validate.sh republishes it on every run.
    private static string PublishedCli(string root)
    {
        var cli = Path.Combine(root, "bench", "out", "cli", "gatehouse");
        if (!File.Exists(cli))
        {
            Console.WriteLine("publishing src/Gatehouse.Cli to bench/out/cli");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
            foreach (var argument in new[] { "publish", "src/Gatehouse.Cli", "-c", "Release", "-o", "bench/out/cli", "--nologo" })
            {
                start.ArgumentList.Add(argument);
            }

            using var publish = Process.Start(start)!;
            publish.WaitForExit();
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet publish src/Gatehouse.Cli failed");
            }
        }

        return cli;
    }
}
