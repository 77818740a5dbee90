namespace Gatehouse.Server.Api;

/// <summary>
/// What routing answers on its own under <c>/api</c>, as Problem Details with a code instead of an
/// empty body: no route (404), a route without this method (405), a body type the route does not
/// take (415). Routing marks those with no endpoint or with one of its metadata-less rejection
/// endpoints; every real endpoint carries metadata, so the check costs nothing on a matched request.
/// </summary>
internal static class ApiRouteProblems
{
    public static Task Middleware(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is { Metadata.Count: > 0 } || !context.Request.Path.StartsWithSegments("/api"))
        {
            return next(context);
        }

        return AnswerAsync(context, endpoint);
    }

    private static async Task AnswerAsync(HttpContext context, Endpoint? endpoint)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        if (endpoint?.RequestDelegate is { } rejection)
        {
            // Sets the status and, for 405, the Allow header; writes no body.
            await rejection(context);
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        var route = $"`{context.Request.Method} {ApiProblems.Printable(context.Request.Path.Value)}`";
        var (code, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status405MethodNotAllowed => (ApiErrors.MethodNotAllowed, $"{route} is not a route: this path takes {context.Response.Headers.Allow}. The routes are listed in /openapi/v1.json."),
            StatusCodes.Status415UnsupportedMediaType => (ApiErrors.BodyNotJson, "Send the body as JSON, with `Content-Type: application/json`."),
            _ => (ApiErrors.RouteNotFound, $"There is no route {route}; the routes are listed in /openapi/v1.json."),
        };
        await ApiProblems.Write(context, context.Response.StatusCode, code, detail);
    }
}
