using System.Globalization;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// What a person watching a long push sees on stderr: the size sent, then a line every
/// <see cref="Interval"/> while the server works, so a push of minutes never looks hung (ADR 0038).
/// A small push prints nothing; stdout keeps only the result.
/// </summary>
internal static class PushProgress
{
    /// <summary>From this size on, the push is announced (a few hundred manifests).</summary>
    public const int AnnouncedFromBytes = 1024 * 1024;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static async Task<T> WaitAsync<T>(Task<T> sent, long bytes, string verb, TextWriter error, CancellationToken ct)
    {
        if (bytes >= AnnouncedFromBytes)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"gatehouse: {verb}: sending {bytes / 1048576.0:0.0} MB; the server validates and applies it in one transaction, which can take minutes"));
        }

        var started = TimeProvider.System.GetTimestamp();
        using var ticks = new PeriodicTimer(Interval);
        while (!sent.IsCompleted)
        {
            var tick = ticks.WaitForNextTickAsync(ct).AsTask();
            if (await Task.WhenAny(sent, tick) == tick && !sent.IsCompleted)
            {
                var waited = TimeProvider.System.GetElapsedTime(started);
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"gatehouse: {verb}: waiting for the server ({waited.TotalSeconds:0} s)"));
            }
        }

        return await sent;
    }
}
