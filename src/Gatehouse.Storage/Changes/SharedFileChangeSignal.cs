using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace Gatehouse.Storage.Changes;

/// <summary>
/// The change signal of a SQLite data folder: a counter in a small file beside the database,
/// mapped into the memory of every process that opens the folder, which each writer increments
/// after its commit. Reading it costs a memory read; SQLite's WAL already requires every process
/// of one database to share memory on one host, so this adds no new constraint.
/// </summary>
internal sealed unsafe class SharedFileChangeSignal : ChangeSignal
{
    public const string FileName = "gatehouse.changes";

    private const int Size = 64;

    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly long* _counter;
    private volatile bool _disposed;

    public SharedFileChangeSignal(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            PrivateFiles.CreateEmptyFile(path);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                if (stream.Length < Size)
                {
                    stream.SetLength(Size);
                }
            }

            _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, Size, MemoryMappedFileAccess.ReadWrite);
            _view = _file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _counter = (long*)(pointer + _view.PointerOffset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Not live: every request reads the version from the database (correct, slower).
            _view?.Dispose();
            _file?.Dispose();
            _view = null;
            _file = null;
            _counter = null;
            Failure = e.Message;
        }
    }

    /// <summary>Why the counter could not be mapped (null when it is live).</summary>
    public string? Failure { get; }

    public override void Committed(long version)
    {
        if (_counter is not null && !_disposed)
        {
            Interlocked.Increment(ref Unsafe.AsRef<long>(_counter));
        }
    }

    protected override bool TryReadCounter(out long counter)
    {
        if (_counter is null || _disposed)
        {
            counter = 0;
            return false;
        }

        counter = Volatile.Read(ref Unsafe.AsRef<long>(_counter));
        return true;
    }

    public override ValueTask DisposeAsync()
    {
        if (_view is not null && !_disposed)
        {
            _disposed = true;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file!.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
