using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Routes;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

/// <summary>The <c>routes</c> of a scope (ADR 0026): syntax here, duplicates and overlaps once every scope is read.</summary>
internal sealed partial class ManifestValidator
{
    /// <summary>Most routes one app may declare: the overlap check compares every pair.</summary>
    public const int MaxRoutesPerApp = 2000;

    private List<(RouteTemplate Template, YamlNode Node)>? ReadRoutes(YamlNode value)
    {
        if (check.List(value, "routes", "['GET /invoices', 'GET /invoices/{id}']") is not { } list)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            check.Error(DiagnosticCodes.ManifestEmptyList, value, "routes is empty; list at least one, e.g. 'GET /invoices/{id}', or leave the key out");
            return null;
        }

        var routes = new List<(RouteTemplate, YamlNode)>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (check.Text(item, "a route") is not { } text)
            {
                continue;
            }

            if (RouteTemplate.Parse(text, out var error) is { } template)
            {
                routes.Add((template, item));
            }
            else
            {
                check.Error(DiagnosticCodes.InvalidRoute, item, $"route '{Printable(text)}' {error}");
            }
        }

        return routes;
    }

    /// <summary>
    /// Every request must be protected by at most one scope, and every route must add something:
    /// the same route twice is an error (the second can never be the one that decides), two scopes
    /// matching one request is an error (which one protects it would depend on precedence rules a
    /// reader should not need), a route covered by a broader one of the same scope is a warning.
    /// </summary>
    private void CheckRoutesAcrossScopes(List<ScopeDeclaration> scopes)
    {
        var all = new List<(RouteTemplate Template, string Scope, Diagnostics.SourceLocation At)>();
        foreach (var scope in scopes)
        {
            for (var i = 0; i < scope.Routes.Count; i++)
            {
                if (RouteTemplate.Parse(scope.Routes[i], out _) is { } template)
                {
                    all.Add((template, scope.Name, scope.RouteLocations[i]));
                }
            }
        }

        if (all.Count > MaxRoutesPerApp)
        {
            check.Error(DiagnosticCodes.InvalidRoute, all[MaxRoutesPerApp].At,
                $"this app declares {all.Count} routes; the limit is {MaxRoutesPerApp}: protect a prefix with '{{*rest}}'");
            return;
        }

        var reported = new HashSet<int>();
        for (var j = 0; j < all.Count; j++)
        {
            var later = all[j];
            for (var i = 0; i < j; i++)
            {
                var earlier = all[i];
                if (!RouteRelations.Overlap(earlier.Template, later.Template))
                {
                    continue;
                }

                var where = $"line {earlier.At.Line}, scope '{earlier.Scope}'";
                if (earlier.Template.ShapeKey == later.Template.ShapeKey)
                {
                    check.Error(DiagnosticCodes.DuplicateRoute, later.At,
                        $"route '{later.Template}' matches exactly the requests of '{earlier.Template}' ({where}), so it can never decide; keep one");
                }
                else if (earlier.Scope != later.Scope)
                {
                    check.Error(DiagnosticCodes.OverlappingRoutes, later.At,
                        $"route '{later.Template}' of scope '{later.Scope}' and '{earlier.Template}' ({where}) match the same requests (e.g. '{Example(earlier.Template, later.Template)}'); a request must be protected by one scope: make the paths distinct");
                }
                else if (reported.Add(j) && (RouteRelations.Covers(earlier.Template, later.Template) || RouteRelations.Covers(later.Template, earlier.Template)))
                {
                    var (broad, narrow, at) = RouteRelations.Covers(earlier.Template, later.Template)
                        ? (earlier.Template, later.Template, later.At)
                        : (later.Template, earlier.Template, earlier.At);
                    check.Warning(DiagnosticCodes.RedundantRoute, at,
                        $"route '{narrow}' is already covered by '{broad}' of the same scope '{later.Scope}'; it changes nothing and can be removed");
                }
                else
                {
                    continue;
                }

                break;
            }
        }
    }

    /// <summary>A path both templates match: literals where either has one, 'x' for parameters.</summary>
    private static string Example(RouteTemplate a, RouteTemplate b)
    {
        var length = Math.Max(a.Segments.Count, b.Segments.Count);
        var parts = new List<string>(length);
        for (var i = 0; i < length; i++)
        {
            var x = i < a.Segments.Count ? a.Segments[i] : a.Segments[^1];
            var y = i < b.Segments.Count ? b.Segments[i] : b.Segments[^1];
            parts.Add(x.Kind == RouteSegmentKind.Literal && i < a.Segments.Count ? x.Text
                : y.Kind == RouteSegmentKind.Literal && i < b.Segments.Count ? y.Text
                : "x");
        }

        return $"{a.Method} /{string.Join('/', parts)}";
    }

    private static string Printable(string text) =>
        text.Length <= 80 && !text.Any(char.IsControl) ? text : string.Concat(text.Where(c => !char.IsControl(c)).Take(80)) + "...";
}
