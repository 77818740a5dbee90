using Gatehouse.Portal.Bench;

// Server time of every main portal page, for the example organisation and a synthetic large one.
// Usage: dotnet run -c Release --project bench/portal -- [--apps 5000] [--iterations 30] [--skip-large]
var apps = Option("--apps", 5000);
var iterations = Option("--iterations", 30);
var results = new List<PageTiming>();

await using (var example = await BenchOrganisation.ExampleAsync())
{
    results.AddRange(await PageTimer.MeasureAsync(example, iterations));
}

if (!args.Contains("--skip-large"))
{
    await using var large = await BenchOrganisation.SyntheticAsync(apps);
    results.AddRange(await PageTimer.MeasureAsync(large, Math.Max(5, iterations / 3)));
}

ResultTable.Print(results, Console.Out);
return 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}
