using Gatehouse.Core.Manifests;
using Gatehouse.Core.Routes;

namespace Gatehouse.Cli.Gateway;

/// <summary>One exported route: the template, the global scope protecting it.</summary>
internal sealed record ExportedRoute(RouteTemplate Template, string Scope);

/// <summary>One app with routes, and where the gateway sends its traffic.</summary>
internal sealed record ExportedApp(string Name, Uri Upstream, IReadOnlyList<ExportedRoute> Routes);

/// <summary>
/// What every gateway format is written from: the apps that declare routes (by name), their
/// routes in manifest order, the environment and Gatehouse's URLs. Same input, same bytes.
/// </summary>
internal sealed record GatewayExport(string Environment, Uri Gatehouse, string Issuer, string Algorithm, int Listen, IReadOnlyList<ExportedApp> Apps)
{
    public string Command(string format) => $"gatehouse export gateway --format {format} --env {Environment}";

    public string ForwardAuthUrl(ExportedApp app) => $"{Gatehouse.ToString().TrimEnd('/')}/forward-auth/{app.Name}/{Environment}";

    public static IReadOnlyList<ExportedApp> AppsOf(IEnumerable<AppManifest> manifests, IReadOnlyDictionary<string, Uri> upstreams) =>
        [.. manifests
            .Where(m => m.Scopes.Any(s => s.Routes.Count > 0))
            .OrderBy(m => m.App, StringComparer.Ordinal)
            .Select(m => new ExportedApp(
                m.App,
                upstreams.GetValueOrDefault(m.App) ?? new Uri($"http://{m.App}"),
                [.. m.Scopes.SelectMany(s => s.Routes.Select(r => new ExportedRoute(RouteTemplate.Parse(r, out _)!, $"{m.App}:{s.Name}")))]))];

    /// <summary>The path template as a regular expression (nginx PCRE, Caddy RE2): literals escaped, one segment per parameter.</summary>
    public static string PathRegex(RouteTemplate template) =>
        template.Segments.Count == 0
            ? "/"
            : string.Concat(template.Segments.Select(s => "/" + s.Kind switch
            {
                RouteSegmentKind.Literal => s.Text.Replace(".", "\\.", StringComparison.Ordinal),
                RouteSegmentKind.Parameter => "[^/]+",
                _ => ".+",
            }));
}
