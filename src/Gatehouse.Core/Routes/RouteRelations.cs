namespace Gatehouse.Core.Routes;

/// <summary>Whether two templates can match the same request, and whether one matches every request the other does.</summary>
public static class RouteRelations
{
    /// <summary>True when some request (method and path) matches both routes.</summary>
    public static bool Overlap(RouteTemplate a, RouteTemplate b)
    {
        if (a.Method != b.Method)
        {
            return false;
        }

        var (x, y) = (a.Segments, b.Segments);
        for (var i = 0; ; i++)
        {
            var xEnd = i == x.Count;
            var yEnd = i == y.Count;
            if (xEnd || yEnd)
            {
                return xEnd && yEnd;
            }

            if (x[i].Kind == RouteSegmentKind.CatchAll || y[i].Kind == RouteSegmentKind.CatchAll)
            {
                // The catch-all takes one or more segments; the other has at least this one.
                return true;
            }

            if (x[i].Kind == RouteSegmentKind.Literal && y[i].Kind == RouteSegmentKind.Literal && x[i].Text != y[i].Text)
            {
                return false;
            }
        }
    }

    /// <summary>True when every request matching <paramref name="inner"/> also matches <paramref name="outer"/>.</summary>
    public static bool Covers(RouteTemplate outer, RouteTemplate inner)
    {
        if (outer.Method != inner.Method)
        {
            return false;
        }

        var (o, n) = (outer.Segments, inner.Segments);
        for (var i = 0; ; i++)
        {
            if (i == o.Count)
            {
                return i == n.Count;
            }

            if (o[i].Kind == RouteSegmentKind.CatchAll)
            {
                return i < n.Count;
            }

            if (i == n.Count || n[i].Kind == RouteSegmentKind.CatchAll)
            {
                return false;
            }

            if (o[i].Kind == RouteSegmentKind.Literal && (n[i].Kind != RouteSegmentKind.Literal || n[i].Text != o[i].Text))
            {
                return false;
            }
        }
    }
}
