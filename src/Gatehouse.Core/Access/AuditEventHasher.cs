using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Access;

/// <summary>
/// <see cref="AuditChain.ComputeHash"/> for a writer that hashes many events in a row: the same
/// bytes and the same HMAC, encoded into one reused buffer under one keyed HMAC instance, with no
/// <see cref="AuditEvent"/> to build. A push of a million grants hashes three million events
/// (ADR 0042). One instance per writer; not thread-safe.
/// </summary>
public sealed class AuditEventHasher : IDisposable
{
    private readonly IncrementalHash _hmac;
    private byte[] _buffer = new byte[1024];
    private int _length;

    public AuditEventHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length != AuditChain.KeySize)
        {
            throw new ArgumentException($"An audit key has {AuditChain.KeySize} bytes.", nameof(key));
        }

        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
    }

    /// <summary>The event's hash (lower-case hex), as <see cref="AuditChain.ComputeHash"/> computes it.</summary>
    public string Hash(long seq, long atUnixMs, string actor, string action, string subject, string? app, string? providerApp,
        string? comment, string? requestId, string? data, string previousHash)
    {
        _length = 0;
        Append(AuditChain.VersionBytes);
        Number(seq);
        Number(atUnixMs);
        Field(actor);
        Field(action);
        Field(subject);
        Field(app);
        Field(providerApp);
        Field(comment);
        Field(requestId);
        Field(data);
        Field(previousHash);
        _hmac.AppendData(_buffer, 0, _length);
        Span<byte> mac = stackalloc byte[32];
        _hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac);
    }

    public void Dispose() => _hmac.Dispose();

    private void Number(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        Prefix(count);
        Append(digits[..count]);
    }

    private void Field(string? value)
    {
        if (value is null)
        {
            Append("~"u8);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        Prefix(count);
        Room(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    private void Prefix(int count)
    {
        Room(12);
        count.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        _buffer[_length++] = (byte)':';
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Room(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Room(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
