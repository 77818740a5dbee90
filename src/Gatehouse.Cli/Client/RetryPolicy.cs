using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Cli.Client;

/// <summary>
/// When and how long the CLI waits before repeating a call the server could not answer: a
/// refused or reset connection, 502/503/504 (a replica restarting behind a load balancer) or
/// 429 (honouring <c>Retry-After</c>). Bounded exponential backoff with jitter, so a rolling
/// deploy of the server does not fail a CI job and many jobs do not retry in step.
/// Only reads and writes the server deduplicates by <c>Idempotency-Key</c> are ever repeated.
/// </summary>
/// <param name="MaxRetries">Repeats after the first attempt (0: none).</param>
/// <param name="BaseDelay">The first wait; each retry doubles it up to <paramref name="MaxDelay"/>.</param>
/// <param name="MaxDelay">The longest wait computed by backoff.</param>
/// <param name="MaxRetryAfter">The longest <c>Retry-After</c> the CLI waits for; a longer one ends the retries.</param>
internal sealed record RetryPolicy(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter)
{
    /// <summary>Five retries waiting about 0.5-1, 1-2, 2-4, 4-8 and 5-10 s: 12 to 25 s in all, the length of a replica restart.</summary>
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

    /// <summary>How long to wait before retry number <paramref name="retry"/> (1-based): half the step fixed, half random.</summary>
    public TimeSpan Backoff(int retry)
    {
        var step = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }

    /// <summary>A status that says "not now" rather than "no": worth asking again.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>A connection refused, reset or cut before the answer was complete.</summary>
    public static bool IsTransient(Exception exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded })
        {
            return true;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted }
                || e is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                return true;
            }
        }

        return false;
    }
}
