using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace Gatehouse.Bench.Load;

/// <summary>
/// Sends requests at fixed intervals whatever the answers do (an open loop), and measures each
/// latency from the moment the request was due, not from when it was sent. A closed-loop tool
/// waits for an answer before sending again, so a server stall delays the requests that would
/// have seen it and hides it ("coordinated omission"); here a stall shows in every request due
/// during it, and a generator that falls behind shows too (as send lag, charged to latency).
/// </summary>
internal sealed partial class OpenLoopLoad(Uri url, HttpMethod method, byte[]? body, string? token, int connections) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    { Timeout = RequestTimeout };

    private string? _firstFailure;

    public LatencySummary Run(int rate, TimeSpan duration)
    {
        var count = (int)Math.Round(rate * duration.TotalSeconds);
        var latency = new long[count];
        var lag = new long[count];
        var ok = new bool[count];
        var pending = new Task[count];
        var period = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100; // 10 ms to get going
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * period);
            WaitUntil(due);
            lag[i] = Stopwatch.GetTimestamp() - due;
            var index = i;
            pending[i] = SendAsync(due).ContinueWith(t =>
            {
                latency[index] = Stopwatch.GetTimestamp() - due;
                ok[index] = t.Result;
            }, TaskScheduler.Default);
        }

        // Every request has its own timeout, so this wait is bounded.
        Task.WaitAll(pending);
        var end = latency.Select((l, i) => start + (long)(i * period) + l).Max();
        var seconds = (end - start) / (double)Stopwatch.Frequency;
        var completed = ok.Count(o => o);
        var (p50, p90, p99, p999, max) = LatencySummary.Percentiles(latency);
        var lagP99 = LatencySummary.Percentiles(lag).P99;
        return new LatencySummary(url.ToString(), rate, seconds, count, completed, count - completed, completed / seconds,
            p50, p90, p99, p999, max, lagP99, _firstFailure);
    }

    public void Dispose() => _http.Dispose();

    private async Task<bool> SendAsync(long due)
    {
        try
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.CompareExchange(ref _firstFailure, $"HTTP {(int)response.StatusCode} at {LatencySummary.Milliseconds(Stopwatch.GetTimestamp() - due):F1} ms", null);
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.CompareExchange(ref _firstFailure, e.Message, null);
            return false;
        }
    }

    /// <summary>
    /// Sleeps until the due time without spinning. The generator shares one pinned core with the
    /// threads that read the answers: a loop that yields keeps that core busy, so an answer waits
    /// for the scheduler's next time slice (several ms), which showed as a p99 of 4-5 ms even for
    /// /healthz. clock_nanosleep on the monotonic clock (Stopwatch's clock on Linux) wakes within
    /// tens of microseconds and leaves the core to them meanwhile.
    /// </summary>
    private static void WaitUntil(long due)
    {
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var at = new TimeSpec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
            while (Stopwatch.GetTimestamp() < due && ClockNanoSleep(ClockMonotonic, TimerAbsoluteTime, in at, IntPtr.Zero) is 0 or Interrupted)
            {
            }

            return;
        }

        // Elsewhere: sleep while the due time is far, then yield (Thread.Sleep alone is ~1 ms coarse).
        var twoMs = Stopwatch.Frequency / 500;
        for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
        {
            if (due - now > twoMs)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int Interrupted = 4; // EINTR: clock_nanosleep returns the error number itself

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanoSleep(int clock, int flags, in TimeSpec request, IntPtr remaining);
}
