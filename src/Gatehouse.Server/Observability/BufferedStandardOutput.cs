namespace Gatehouse.Server.Observability;

/// <summary>
/// Standard output for <c>gatehouse serve</c>, buffered and flushed every 100 ms and on stop
/// (ADR 0028). The console logger writes each line with its own flush, one system call per
/// line: with an access log line per request that was most of the access log's cost. A line
/// now waits at most 100 ms; what a crash (or SIGKILL) leaves unflushed is that last 100 ms.
/// </summary>
internal sealed class BufferedStandardOutput : IDisposable
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _previous;
    private readonly Timer _timer;

    private BufferedStandardOutput(TextWriter previous)
    {
        _previous = previous;
        var stream = new StreamWriter(Console.OpenStandardOutput(), previous.Encoding, 64 * 1024) { AutoFlush = false };
        Console.SetOut(stream);
        Writer = Console.Out; // synchronized by SetOut
        _timer = new Timer(_ => Flush(), null, FlushEvery, FlushEvery);
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    public TextWriter Writer { get; }

    public static BufferedStandardOutput Install() => new(Console.Out);

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        _timer.Dispose();
        Flush();
        Console.SetOut(_previous);
    }

    private void OnExit(object? sender, EventArgs e) => Flush();

    private void Flush()
    {
        try
        {
            Writer.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed pipe: nobody reads the log any more.
        }
    }
}
