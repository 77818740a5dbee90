using Npgsql;

namespace Gatehouse.Storage.Changes;

/// <summary>
/// The change signal of a PostgreSQL database shared by several replicas: every write transaction
/// sends <c>NOTIFY gatehouse_changes</c>, which PostgreSQL delivers at commit, and each replica
/// keeps one connection listening. A replica's own commits count at once; another replica's count
/// when the notification arrives. While the listening connection is down, and until it listens
/// again, the signal is not live and every request reads the database.
/// </summary>
internal sealed class PostgresChangeSignal : ChangeSignal
{
    public const string Channel = "gatehouse_changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _start = new();
    private Task? _listening;
    private long _counter;
    private volatile bool _live;

    public PostgresChangeSignal(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Whether the listening connection is up (for tests and diagnostics).</summary>
    public bool IsLive => _live;

    /// <summary>Commits and notifications counted so far (for tests and diagnostics).</summary>
    public long Signals => Interlocked.Read(ref _counter);

    public override void Committed(long version) => Interlocked.Increment(ref _counter);

    protected override bool TryReadCounter(out long counter)
    {
        if (!_live)
        {
            EnsureListening();
            counter = 0;
            return false;
        }

        counter = Interlocked.Read(ref _counter);
        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        _live = false;
        await _stop.CancelAsync();
        if (_listening is not null)
        {
            try
            {
                await _listening;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private void EnsureListening()
    {
        if (_listening is not null || _stop.IsCancellationRequested)
        {
            return;
        }

        lock (_start)
        {
            _listening ??= Task.Run(() => ListenAsync(_stop.Token));
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => Interlocked.Increment(ref _counter);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                // Listening from here on: whatever committed before is in the next read.
                Interlocked.Increment(ref _counter);
                _live = true;
                backoff = TimeSpan.FromMilliseconds(100);
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                _live = false;
                break;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // Not live until listening again: requests read the database meanwhile.
                _live = false;
                Forget();
                await Task.Delay(backoff, ct).ContinueWith(static _ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
