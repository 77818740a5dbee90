using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// The body of a realistic <c>POST /api/v1/check</c>: what `gatehouse check --env E` sends for
/// one app, the first generated app with 3 to 5 needed scopes in E, and a deploy token of that
/// app (the token a CI pipeline holds).
/// </summary>
internal sealed record CheckRequest(string App, string Environment, int Needs, string BodyFile, string Token)
{
    /// <summary>A decision batch of this many queries (issue 15: the decision endpoint with a batch of 10).</summary>
    public const int DecisionBatch = 10;

    /// <summary><c>POST /api/v1/decisions</c> with <see cref="DecisionBatch"/> queries: the needs of the first generated apps in the environment.</summary>
    public string DecisionsBodyFile => Path.Combine(Path.GetDirectoryName(BodyFile)!, "decisions.json");

    /// <param name="adminToken">An admin's personal token: the bootstrap token creates no deploy tokens.</param>
    public static CheckRequest Prepare(Uri server, string adminToken, string dataDirectory, string environment, string bodyFile)
    {
        var (app, needs) = ChooseApp(dataDirectory, environment);
        var body = JsonSerializer.Serialize(new { environment, needs = needs.Select(n => new { consumer = app, provider = n.Provider, scope = n.Scope }) });
        File.WriteAllText(bodyFile, body);

        using var http = new HttpClient { BaseAddress = new Uri(server, "api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var queries = NeedsIn(dataDirectory, environment).Take(DecisionBatch).Select(n => new { app = n.App, scope = $"{n.Provider}:{n.Scope}", environment }).ToList();
        var decisionsFile = Path.Combine(Path.GetDirectoryName(bodyFile)!, "decisions.json");
        File.WriteAllText(decisionsFile, JsonSerializer.Serialize(new { queries }));
        var created = Post(http, "tokens", JsonSerializer.Serialize(new { kind = "deploy", subject = app, description = "benchmark" }));
        var token = created["secret"]!.GetValue<string>();

        // One check first: a wrong body or token would otherwise be timed as fast 4xx answers.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var check = Post(http, "check", body);
        var results = check["results"]!.AsArray();
        if (results.Count != needs.Count)
        {
            throw new InvalidOperationException($"check answered {results.Count} results for {needs.Count} needs: {check}");
        }

        var decided = Post(http, "decisions", File.ReadAllText(decisionsFile))["decisions"]!.AsArray();
        if (decided.Count != DecisionBatch || decided.Any(d => d!["state"]!.GetValue<string>() is "error" or "notrequested"))
        {
            throw new InvalidOperationException($"decisions answered {decided.Count} of {DecisionBatch}: {decided}");
        }

        return new CheckRequest(app, environment, needs.Count, bodyFile, token);
    }

    public string Describe(string states) => $"{App}'s {Needs} needed scopes in {Environment} ({states}), deploy token of {App}";

    /// <summary>How many of the needs the server reports granted, pending, ... (for the report).</summary>
    public string States(Uri server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server, "api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var check = Post(http, "check", File.ReadAllText(BodyFile));
        return string.Join(", ", check["results"]!.AsArray().GroupBy(r => r!["state"]!.GetValue<string>()).Select(g => $"{g.Count()} {g.Key}"));
    }

    private static (string App, List<(string Provider, string Scope)> Needs) ChooseApp(string dataDirectory, string environment)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(dataDirectory, "services")).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, AppManifest.FileName);
            var manifest = ManifestReader.ReadManifest(file, File.ReadAllBytes(file)).Value;
            var needs = manifest?.Needs
                .Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(environment))
                .SelectMany(n => n.Scopes.Select(s => (n.App, s)))
                .ToList();
            if (manifest is not null && needs!.Count is >= 3 and <= 5)
            {
                return (manifest.App, needs);
            }
        }

        throw new InvalidOperationException($"no generated app has 3 to 5 needs in {environment}");
    }

    private static IEnumerable<(string App, string Provider, string Scope)> NeedsIn(string dataDirectory, string environment)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(dataDirectory, "services")).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, AppManifest.FileName);
            var manifest = ManifestReader.ReadManifest(file, File.ReadAllBytes(file)).Value;
            foreach (var need in manifest?.Needs.Where(n => n.Environments is not { Count: > 0 } || n.Environments.Contains(environment)) ?? [])
            {
                foreach (var scope in need.Scopes)
                {
                    yield return (manifest!.App, need.App, scope);
                }
            }
        }
    }

    private static JsonNode Post(HttpClient http, string path, string json)
    {
        using var response = http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).Result;
        var text = response.Content.ReadAsStringAsync().Result;
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }
}
