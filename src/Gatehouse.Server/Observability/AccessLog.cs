using System.Diagnostics;
using System.Security.Claims;
using Gatehouse.Server.Gateway;
using Gatehouse.Server.Identity;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Observability;

/// <summary>
/// One log line per request in the category <c>Gatehouse.Access</c> (ADR 0028): method, route
/// template, status, duration in milliseconds and the actor. Never a path with names or a query
/// string (either can carry a secret or a person's data), never a header, a token or a body: the
/// actor is the authenticated user, app or OAuth client, or <c>-</c>.
/// </summary>
internal static partial class AccessLog
{
    public const string Category = "Gatehouse.Access";

    /// <summary>The key of <see cref="HttpContext.Items"/> where an endpoint that authenticates by itself names its caller.</summary>
    public const string ActorItem = "gatehouse.access-log.actor";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(Category);
        return async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                Write(logger, context.Request.Method, Route(context), context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, Actor(context));
            }
        };
    }

    /// <summary>The route template that answered; never the path itself.</summary>
    internal static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? (template.StartsWith('/') ? template : "/" + template)
        : context.Request.Path.StartsWithSegments(ForwardAuthEndpoint.Prefix) ? ForwardAuthEndpoint.Prefix + "/{app}/{env}"
        : "(unmatched)";

    internal static string Actor(HttpContext context)
    {
        if (context.Items.TryGetValue(ActorItem, out var named) && named is string actor)
        {
            return actor;
        }

        if (context.User.Identity is { IsAuthenticated: true, Name: { } name } && context.User.FindFirstValue(GatehouseClaims.ActorKind) is { } kind)
        {
            // user:alice, app:billing; the bootstrap token is just "bootstrap".
            var lower = kind.ToLowerInvariant();
            return lower == name ? name : lower + ":" + name;
        }

        // Forward-auth names the OAuth client it let through to the upstream.
        return context.Response.Headers.TryGetValue(ForwardAuthEndpoint.ClientHeader, out var client) && client.Count == 1 ? "client:" + client[0] : "-";
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:0.0} ms {Actor}")]
    private static partial void Write(ILogger logger, string method, string route, int status, double durationMs, string actor);
}
