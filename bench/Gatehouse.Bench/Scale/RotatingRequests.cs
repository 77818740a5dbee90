using System.Text;
using System.Text.Json;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Bench.Scale;

/// <summary>
/// The request files of bench/wrk/rotate.lua for one organisation, read from its manifests. Checks:
/// one per app with a need in development, every app in turn, each the first 5 scopes it needs
/// there at most (the shape of server-bench's check); scale-bench sends the 10,000-app
/// organisation's to both organisations, so they do the same work per request. Decisions:
/// every scope any app needs in development, <c>batch</c> queries to a request, so a run reaches
/// every grant of the organisation the time allows.
/// </summary>
internal sealed record RotatingRequests(string CheckFile, int Checks, string DecisionFile, int Decisions, int Keys)
{
    private const int NeedsPerCheck = 5;
    private const string Environment = "development";

    public static RotatingRequests Write(string data, string folder, int batch)
    {
        var checkFile = Path.Combine(folder, "checks.tsv");
        var decisionFile = Path.Combine(folder, "decisions.tsv");
        var checks = 0;
        var keys = new List<(string App, string Scope)>();
        using (var writer = new StreamWriter(checkFile, append: false, new UTF8Encoding(false)))
        {
            foreach (var folderOfApp in Directory.EnumerateDirectories(Path.Combine(data, "services")).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(folderOfApp, AppManifest.FileName);
                var manifest = ManifestReader.ReadManifest(file, File.ReadAllBytes(file)).Value
                    ?? throw new InvalidOperationException($"{file} does not read as a manifest");
                var needs = manifest.Needs
                    .Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(Environment))
                    .SelectMany(n => n.Scopes.Select(s => (Provider: n.App, Scope: s)))
                    .ToList();
                keys.AddRange(needs.Select(n => (manifest.App, $"{n.Provider}:{n.Scope}")));
                if (needs.Count == 0)
                {
                    continue;
                }

                var body = JsonSerializer.Serialize(new
                {
                    environment = Environment,
                    needs = needs.Take(NeedsPerCheck).Select(n => new { consumer = manifest.App, provider = n.Provider, scope = n.Scope }),
                });
                writer.Write("/api/v1/check\t");
                writer.Write(body);
                writer.Write('\n');
                checks++;
            }
        }

        // Shuffled with a fixed seed, so a batch mixes apps and both organisations get the same treatment.
        var random = new Random(7);
        var shuffled = keys.OrderBy(_ => random.Next()).ToList();
        var decisions = 0;
        using (var writer = new StreamWriter(decisionFile, append: false, new UTF8Encoding(false)))
        {
            foreach (var chunk in shuffled.Chunk(batch))
            {
                var body = JsonSerializer.Serialize(new { queries = chunk.Select(k => new { app = k.App, scope = k.Scope, environment = Environment }) });
                writer.Write("/api/v1/decisions\t");
                writer.Write(body);
                writer.Write('\n');
                decisions++;
            }
        }

        return new RotatingRequests(checkFile, checks, decisionFile, decisions, keys.Count);
    }
}
