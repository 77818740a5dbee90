using System.Diagnostics;
using System.Security.Claims;
using System.Threading.Channels;
using Gatehouse.Server.Gateway;
using Gatehouse.Server.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Observability;

/// <summary>
/// One log line per request in the category <c>Gatehouse.Access</c> (ADR 0028): method, route
/// template, status, duration in milliseconds and the actor. Never a path with names or a query
/// string (either can carry a secret or a person's data), never a header, a token or a body: the
/// actor is the authenticated user, app or OAuth client, or <c>-</c>.
/// <para>
/// The request only queues its entry; a background loop writes the entries every 50 ms, so the
/// console logger's thread wakes once per batch rather than once per request (the per-request
/// wake-up, formatting and write were most of the access log's cost on the hot paths). A line's
/// timestamp is therefore up to 50 ms after the answer; the duration is exact.
/// </para>
/// </summary>
internal sealed partial class AccessLog(ILoggerFactory loggers) : BackgroundService
{
    public const string Category = "Gatehouse.Access";

    /// <summary>The key of <see cref="HttpContext.Items"/> where an endpoint that authenticates by itself names its caller.</summary>
    public const string ActorItem = "gatehouse.access-log.actor";

    /// <summary>Entries waiting beyond this are dropped (and counted in a warning) rather than holding requests up.</summary>
    public const int MaxQueued = 100_000;

    private static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(50);

    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly Channel<Entry> _queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private long _dropped;

    private readonly record struct Entry(string Method, string Route, int Status, double DurationMs, string Actor);

    public Func<HttpContext, RequestDelegate, Task> Middleware => async (context, next) =>
    {
        if (!_logger.IsEnabled(LogLevel.Information) || IsHealthProbe(context.Request.Path))
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
            var entry = new Entry(context.Request.Method, Route(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Actor(context));
            if (!_queue.Writer.TryWrite(entry))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    };

    /// <summary>Liveness and readiness probes are not logged: an orchestrator calls them every few seconds, and they carry no caller.</summary>
    internal static bool IsHealthProbe(PathString path) => path.Value is "/healthz" or "/readyz";

    /// <summary>The route template that answered; never the path itself.</summary>
    internal static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? (template.StartsWith('/') ? template : "/" + template)
        : context.Request.Path.StartsWithSegments(ForwardAuthEndpoint.Prefix) ? ForwardAuthEndpoint.RouteTemplate
        : "(unmatched)";

    internal static string Actor(HttpContext context)
    {
        if (context.Items.TryGetValue(ActorItem, out var named) && named is string actor)
        {
            return actor;
        }

        if (context.User is GatehousePrincipal principal)
        {
            return principal.LogName;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchEvery, stoppingToken);
                Drain();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Drain(); // what the last requests queued
    }

    private void Drain()
    {
        while (_queue.Reader.TryRead(out var e))
        {
            Write(_logger, e.Method, e.Route, e.Status, e.DurationMs, e.Actor);
        }

        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            Dropped(_logger, dropped, MaxQueued);
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:0.0} ms {Actor}")]
    private static partial void Write(ILogger logger, string method, string route, int status, double durationMs, string actor);

    [LoggerMessage(EventId = 2, EventName = "Dropped", Level = LogLevel.Warning, Message = "{Dropped} access log lines were dropped: more than {MaxQueued} requests waited to be logged")]
    private static partial void Dropped(ILogger logger, long dropped, int maxQueued);
}
