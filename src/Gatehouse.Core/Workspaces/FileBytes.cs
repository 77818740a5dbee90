using System.Buffers;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Workspaces;

/// <summary>
/// One file's bytes, in a buffer rented from the shared pool (dispose to give it back), or the one
/// problem that kept them from being read. The file is opened once: its length is enough to refuse
/// a file past the limit without loading it.
/// </summary>
internal readonly struct FileBytes : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    private FileBytes(byte[]? buffer, int length, Diagnostic? problem)
    {
        _buffer = buffer;
        _length = length;
        Problem = problem;
    }

    /// <summary>Why the file could not be read; null when <see cref="Content"/> holds it.</summary>
    public Diagnostic? Problem { get; }

    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, _length);

    public static FileBytes Read(string fullPath, string display)
    {
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var size = RandomAccess.GetLength(handle);
            if (size > ManifestReader.MaxFileBytes)
            {
                return new FileBytes(null, 0, YamlInput.TooLarge(display, size));
            }

            // The file as long as it was when opened, like File.ReadAllBytes; less if it shrank since.
            buffer = ArrayPool<byte>.Shared.Rent((int)size);
            var length = 0;
            int read;
            while (length < size && (read = RandomAccess.Read(handle, buffer.AsSpan(length, (int)size - length), length)) > 0)
            {
                length += read;
            }

            return new FileBytes(buffer, length, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return new FileBytes(null, 0, Diagnostic.Error(DiagnosticCodes.FileUnreadable, SourceLocation.WholeFile(display), $"cannot read the file: {ex.Message}"));
        }
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
