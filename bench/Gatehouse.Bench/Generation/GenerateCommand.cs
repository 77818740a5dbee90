using System.Diagnostics;

namespace Gatehouse.Bench.Generation;

/// <summary>
/// <c>generate --apps N --out DIR [--seed S] [--grants G]</c>: DIR/gatehouse.org.yaml and
/// DIR/services/app-NNNNN/gatehouse.yaml; with <c>--grants</c>, enough development-only needs that
/// a first push makes G grants at once.
/// </summary>
internal static class GenerateCommand
{
    // Written last: a folder without it (an interrupted run) is generated again.
    private const string Marker = "bench-generated.txt";

    public static int Run(Arguments arguments)
    {
        var apps = arguments.Int("apps", 0);
        if (apps == 0)
        {
            throw new ArgumentException("--apps is required");
        }

        var timer = Stopwatch.StartNew();
        var grants = arguments.Int("grants", 0);
        var bytes = Generate(arguments.Required("out"), apps, arguments.Int("seed", 1), grants);
        Console.WriteLine($"generated {apps} manifests and 1 organisation file ({bytes / (apps + 1)} bytes per file on average) in {timer.Elapsed.TotalSeconds:F1} s"
            + (grants > 0 ? $"; a first push grants {grants} needs at once" : ""));
        return 0;
    }

    /// <summary>Generates unless DIR already holds the same organisation; returns the bytes written.</summary>
    public static long EnsureGenerated(string directory, int apps, int seed, int grants = 0) =>
        File.Exists(Path.Combine(directory, Marker)) && File.ReadAllText(Path.Combine(directory, Marker)) == MarkerText(apps, seed, grants)
            ? 0
            : Generate(directory, apps, seed, grants);

    private static long Generate(string directory, int apps, int seed, int grants)
    {
        var services = Path.Combine(directory, "services");
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, Marker));
        if (Directory.Exists(services))
        {
            Directory.Delete(services, recursive: true); // a smaller run must not leave extra apps behind
        }

        var org = OrganisationGenerator.Generate(apps, seed, grants);
        var text = ManifestWriter.Organisation(org);
        File.WriteAllText(Path.Combine(directory, "gatehouse.org.yaml"), text);
        long bytes = text.Length;
        foreach (var app in org.Apps)
        {
            var folder = Directory.CreateDirectory(Path.Combine(services, app.Name)).FullName;
            text = ManifestWriter.Manifest(app);
            File.WriteAllText(Path.Combine(folder, "gatehouse.yaml"), text);
            bytes += text.Length;
        }

        File.WriteAllText(Path.Combine(directory, Marker), MarkerText(apps, seed, grants));
        return bytes;
    }

    // Unchanged without --grants, so folders generated before it are still recognised.
    private static string MarkerText(int apps, int seed, int grants) => grants > 0 ? $"apps={apps} seed={seed} grants={grants}\n" : $"apps={apps} seed={seed}\n";
}
