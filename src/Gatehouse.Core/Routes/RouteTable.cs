namespace Gatehouse.Core.Routes;

/// <summary>A route and the scope that protects it.</summary>
public sealed record ScopedRoute(RouteTemplate Template, string Scope);

/// <summary>
/// The routes of one app, compiled into a tree per method for matching without allocation. The
/// most specific route wins, segment by segment from the left: a literal before a
/// <c>{param}</c> before a <c>{*rest}</c> (valid manifests have no two scopes matching one
/// request, so the choice only matters between routes of the same scope).
/// </summary>
public sealed class RouteTable
{
    private readonly (string Method, Node Root)[] _methods;

    public RouteTable(IEnumerable<ScopedRoute> routes)
    {
        var roots = new Dictionary<string, Node>(StringComparer.Ordinal);
        var count = 0;
        foreach (var route in routes)
        {
            if (!roots.TryGetValue(route.Template.Method, out var node))
            {
                roots[route.Template.Method] = node = new Node();
            }

            foreach (var segment in route.Template.Segments)
            {
                switch (segment.Kind)
                {
                    case RouteSegmentKind.Literal:
                        node.Literals ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                        if (!node.Literals.TryGetValue(segment.Text, out var next))
                        {
                            node.Literals[segment.Text] = next = new Node();
                        }

                        node = next;
                        break;
                    case RouteSegmentKind.Parameter:
                        node = node.Parameter ??= new Node();
                        break;
                    default:
                        node.CatchAll ??= route;
                        goto next;
                }
            }

            node.End ??= route;
        next:
            count++;
        }

        foreach (var root in roots.Values)
        {
            root.Freeze();
        }

        _methods = [.. roots.Select(r => (r.Key, r.Value)).OrderBy(r => r.Key, StringComparer.Ordinal)];
        Count = count;
    }

    /// <summary>How many routes the table holds.</summary>
    public int Count { get; }

    /// <summary>
    /// The route matching <paramref name="method"/> and <paramref name="path"/> (no query), or null.
    /// A path that is not in normal form (see <see cref="IsNormalPath"/>) matches nothing.
    /// </summary>
    public ScopedRoute? Match(ReadOnlySpan<char> method, ReadOnlySpan<char> path)
    {
        if (!IsNormalPath(path))
        {
            return null;
        }

        foreach (var (name, root) in _methods)
        {
            if (method.SequenceEqual(name))
            {
                return path.Length == 1 ? root.End : Match(root, path);
            }
        }

        return null;
    }

    /// <summary>
    /// True for an absolute path with no empty, <c>.</c> or <c>..</c> segment, no backslash, no
    /// control character and no percent-encoded dot, slash or backslash: the forms a proxy and an
    /// upstream may read differently, so a route decision on them could protect the wrong path.
    /// </summary>
    public static bool IsNormalPath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                var segment = path[segmentStart..i];
                if (segment.IsEmpty || segment is "." || segment is "..")
                {
                    return false;
                }

                segmentStart = i + 1;
                continue;
            }

            var c = path[i];
            if (c == '\\' || char.IsControl(c))
            {
                return false;
            }

            if (c == '%' && i + 2 < path.Length && IsEncodedSeparatorOrDot(path[i + 1], path[i + 2]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEncodedSeparatorOrDot(char high, char low) =>
        (high == '2' && (low is 'e' or 'E' or 'f' or 'F')) || (high == '5' && low is 'c' or 'C');

    private static ScopedRoute? Match(Node node, ReadOnlySpan<char> path)
    {
        // path starts with '/' and has at least one non-empty segment (normal form).
        var rest = path[1..];
        var slash = rest.IndexOf('/');
        var segment = slash < 0 ? rest : rest[..slash];
        var remaining = slash < 0 ? [] : rest[slash..];

        if (node.LiteralLookup is { } lookup && lookup.TryGetValue(segment, out var literal)
            && (remaining.IsEmpty ? literal.End : Match(literal, remaining)) is { } byLiteral)
        {
            return byLiteral;
        }

        if (node.Parameter is { } parameter && (remaining.IsEmpty ? parameter.End : Match(parameter, remaining)) is { } byParameter)
        {
            return byParameter;
        }

        return node.CatchAll;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Literals;
        public Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>>? LiteralLookup;
        public Node? Parameter;
        public ScopedRoute? CatchAll;
        public ScopedRoute? End;

        public void Freeze()
        {
            if (Literals is not null)
            {
                LiteralLookup = Literals.GetAlternateLookup<ReadOnlySpan<char>>();
                foreach (var child in Literals.Values)
                {
                    child.Freeze();
                }
            }

            Parameter?.Freeze();
        }
    }
}
