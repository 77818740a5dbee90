namespace Gatehouse.Core.Routes;

/// <summary>What one segment of a path template matches.</summary>
public enum RouteSegmentKind
{
    /// <summary>Exactly this text (case-sensitive).</summary>
    Literal,

    /// <summary><c>{name}</c>: any one non-empty segment.</summary>
    Parameter,

    /// <summary><c>{*name}</c>, last only: one or more segments.</summary>
    CatchAll,
}

/// <summary>One segment of a path template: the literal text, or the parameter's name.</summary>
public readonly record struct RouteSegment(RouteSegmentKind Kind, string Text);

/// <summary>
/// A route a scope protects, as written in a manifest: <c>GET /invoices/{id}</c>. A method in
/// upper case and a path template of literal segments, <c>{param}</c> segments and an optional
/// trailing <c>{*rest}</c> (ADR 0026).
/// </summary>
public sealed record RouteTemplate(string Method, IReadOnlyList<RouteSegment> Segments)
{
    /// <summary>The methods a route may name. HEAD is not implied by GET: list it when it is served.</summary>
    public static readonly IReadOnlyList<string> Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Longest route text accepted: a template, not a document.</summary>
    public const int MaxLength = 300;

    /// <summary>The template in its canonical form, <c>GET /invoices/{id}</c>.</summary>
    public override string ToString() => $"{Method} {Path}";

    /// <summary>The path template alone, <c>/invoices/{id}</c>.</summary>
    public string Path => Segments.Count == 0 ? "/" : "/" + string.Join('/', Segments.Select(Format));

    /// <summary>The same shape with parameter names left out: two routes with the same key match the same requests.</summary>
    public string ShapeKey => Method + " /" + string.Join('/', Segments.Select(s => s.Kind switch
    {
        RouteSegmentKind.Literal => s.Text,
        RouteSegmentKind.Parameter => "{}",
        _ => "{*}",
    }));

    private static string Format(RouteSegment s) => s.Kind switch
    {
        RouteSegmentKind.Literal => s.Text,
        RouteSegmentKind.Parameter => "{" + s.Text + "}",
        _ => "{*" + s.Text + "}",
    };

    /// <summary>Parses <c>METHOD /path</c>; on failure <paramref name="error"/> says what is wrong and how to write it.</summary>
    public static RouteTemplate? Parse(string text, out string? error)
    {
        error = null;
        if (text.Length > MaxLength)
        {
            error = $"is {text.Length} characters long; the limit is {MaxLength}";
            return null;
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || text.IndexOf(' ', space + 1) >= 0)
        {
            error = "must be a method and a path separated by one space, e.g. 'GET /invoices/{id}'";
            return null;
        }

        var method = text[..space];
        if (!Methods.Contains(method))
        {
            var upper = method.ToUpperInvariant();
            error = Methods.Contains(upper)
                ? $"method '{method}' must be written in upper case: '{upper}'"
                : $"method '{method}' is not one of {string.Join(", ", Methods)}";
            return null;
        }

        var segments = ParsePath(text[(space + 1)..], out error);
        return segments is null ? null : new RouteTemplate(method, segments);
    }

    private static List<RouteSegment>? ParsePath(string path, out string? error)
    {
        error = null;
        if (!path.StartsWith('/'))
        {
            error = $"path '{path}' must start with '/'";
            return null;
        }

        if (path == "/")
        {
            return [];
        }

        if (path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            error = $"path '{path}' must not contain a query or fragment: routes match the path only";
            return null;
        }

        var parts = path[1..].Split('/');
        var segments = new List<RouteSegment>(parts.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                error = i == parts.Length - 1
                    ? $"path '{path}' must not end with '/': write '{path.TrimEnd('/')}'"
                    : $"path '{path}' has an empty segment ('//')";
                return null;
            }

            if (part.StartsWith('{') || part.EndsWith('}') || part.Contains('{', StringComparison.Ordinal) || part.Contains('}', StringComparison.Ordinal))
            {
                if (Parameter(part, path, i == parts.Length - 1, names, out error) is not { } parameter)
                {
                    return null;
                }

                segments.Add(parameter);
                continue;
            }

            if (part is "." or ".." || !part.All(IsLiteralChar))
            {
                error = $"segment '{part}' of '{path}' may hold only letters, digits and - . _ ~ (not '.' or '..' alone); a parameter is written '{{name}}'";
                return null;
            }

            segments.Add(new RouteSegment(RouteSegmentKind.Literal, part));
        }

        return segments;
    }

    private static RouteSegment? Parameter(string part, string path, bool last, HashSet<string> names, out string? error)
    {
        error = null;
        if (!part.StartsWith('{') || !part.EndsWith('}') || part.Length < 3)
        {
            error = $"segment '{part}' of '{path}' must be all literal or one whole parameter, e.g. '{{id}}' (no 'inv-{{id}}')";
            return null;
        }

        var inner = part[1..^1];
        var catchAll = inner.StartsWith('*');
        var name = catchAll ? inner[1..] : inner;
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            error = $"parameter '{part}' of '{path}' needs a name of letters, digits and '_', e.g. '{{id}}'";
            return null;
        }

        if (catchAll && !last)
        {
            error = $"'{part}' matches the rest of the path, so it must be the last segment of '{path}'";
            return null;
        }

        if (!names.Add(name))
        {
            error = $"parameter '{{{name}}}' appears twice in '{path}'";
            return null;
        }

        return new RouteSegment(catchAll ? RouteSegmentKind.CatchAll : RouteSegmentKind.Parameter, name);
    }

    private static bool IsLiteralChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
