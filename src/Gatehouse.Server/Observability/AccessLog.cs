using System.Diagnostics;
using System.Security.Claims;
using System.Threading.Channels;
using Gatehouse.Server.Gateway;
using Gatehouse.Server.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

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
internal sealed partial class AccessLog(ILoggerFactory loggers, IServiceProvider services) : BackgroundService
{
    public const string Category = "Gatehouse.Access";

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

    // The console formatter the logger would use, when the console is the only provider (ADR 0041).
    private ConsoleLines? _console;
    private bool _consoleLooked;

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
        // An endpoint that authenticates by itself (forward-auth, the token endpoint) names its caller.
        if (context.Features.Get<AccessLogActor>() is { } named)
        {
            return named.Name;
        }

        // The feature, not HttpContext.User: with no user set, User makes an empty principal on every request.
        var user = context.Features.Get<Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature>()?.User;
        if (user is GatehousePrincipal principal)
        {
            return principal.LogName;
        }

        if (user?.Identity is { IsAuthenticated: true, Name: { } name } && user.FindFirstValue(GatehouseClaims.ActorKind) is { } kind)
        {
            // user:alice, app:billing; the bootstrap token is just "bootstrap".
            var lower = kind.ToLowerInvariant();
            return lower == name ? name : lower + ":" + name;
        }

        return "-";
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

    public override void Dispose()
    {
        _console?.Dispose();
        base.Dispose();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Drain(); // what the last requests queued
    }

    private void Drain()
    {
        if (!_consoleLooked)
        {
            _console = ConsoleLines.Find(services);
            _consoleLooked = true;
        }

        if (_console is { } console)
        {
            console.Write(_queue.Reader);
        }

        while (_queue.Reader.TryRead(out var e))
        {
            Write(_logger, e.Method, e.Route, e.Status, e.DurationMs, e.Actor);
        }

        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            Dropped(_logger, dropped, MaxQueued);
        }
    }

    /// <summary>
    /// A batch of access lines formatted by the console logger's own formatter (simple or JSON, with
    /// its options) and written to its stream in one write. The result is the lines the logger
    /// writes, without its per-line dispatch, boxing, queue and writer thread, which cost as much
    /// as the rest of a check. Used only when the console is the only logging provider; with any
    /// other provider each line goes through the logger.
    /// </summary>
    private sealed class ConsoleLines(ConsoleFormatter formatter, bool standardError) : IDisposable
    {
        private static readonly EventId Request = new(1, "Request");
        private readonly StringWriter _text = new(System.Globalization.CultureInfo.InvariantCulture);

        public static ConsoleLines? Find(IServiceProvider services)
        {
            var providers = services.GetServices<ILoggerProvider>().ToList();
            if (providers.Count != 1 || providers[0] is not ConsoleLoggerProvider)
            {
                return null;
            }

            var options = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
            var formatter = services.GetServices<ConsoleFormatter>().FirstOrDefault(f => f.Name == options.FormatterName);
            return formatter is null ? null : new ConsoleLines(formatter, options.LogToStandardErrorThreshold <= LogLevel.Information);
        }

        public void Write(ChannelReader<Entry> queue)
        {
            var text = _text.GetStringBuilder().Clear();
            while (queue.TryRead(out var e))
            {
                formatter.Write(new LogEntry<Line>(LogLevel.Information, Category, Request, new Line(e), null, Line.Format), null, _text);
                if (text.Length > 32 * 1024)
                {
                    Flush(text);
                }
            }

            Flush(text);
        }

        public void Dispose() => _text.Dispose();

        private void Flush(System.Text.StringBuilder text)
        {
            if (text.Length > 0)
            {
                (standardError ? Console.Error : Console.Out).Write(text);
                text.Clear();
            }
        }
    }

    /// <summary>The state of one line, with the names and message the <see cref="Write"/> logger message gives it.</summary>
    private readonly struct Line(Entry entry) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private const string Template = "{Method} {Route} {Status} {DurationMs:0.0} ms {Actor}";

        public static readonly Func<Line, Exception?, string> Format = static (line, _) => line.ToString();

        public int Count => 6;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Method", entry.Method),
            1 => new("Route", entry.Route),
            2 => new("Status", entry.Status),
            3 => new("DurationMs", entry.DurationMs),
            4 => new("Actor", entry.Actor),
            5 => new("{OriginalFormat}", Template),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.Method} {entry.Route} {entry.Status} {entry.DurationMs:0.0} ms {entry.Actor}");
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:0.0} ms {Actor}")]
    private static partial void Write(ILogger logger, string method, string route, int status, double durationMs, string actor);

    [LoggerMessage(EventId = 2, EventName = "Dropped", Level = LogLevel.Warning, Message = "{Dropped} access log lines were dropped: more than {MaxQueued} requests waited to be logged")]
    private static partial void Dropped(ILogger logger, long dropped, int maxQueued);
}

/// <summary>
/// How the access log names the caller of a request that an endpoint authenticated by itself
/// (forward-auth's OAuth client, the token endpoint's client), set as a request feature: an
/// endpoint that answers the same caller often keeps one and sets it on each request.
/// </summary>
internal sealed class AccessLogActor(string name)
{
    public string Name { get; } = name;
}
