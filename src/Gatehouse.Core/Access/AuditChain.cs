using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Access;

/// <summary>
/// The hash that links audit events into a chain. Each event's hash covers its own fields and
/// the previous event's hash, so changing, removing or reordering a stored event breaks every
/// link after it. Public so an exported log can be verified without the server.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static readonly string GenesisHash = new('0', 64);

    // Bumped if the encoding ever changes, so old and new chains cannot be confused.
    private static readonly byte[] Version = "gatehouse-audit-v1"u8.ToArray();

    /// <summary>
    /// SHA-256 (lower-case hex) over a length-prefixed encoding of the fields: every field is
    /// written as <c>byteCount:utf8</c>, and a null as <c>~</c>, so no two different events
    /// encode to the same bytes (an empty comment is not a missing one, "a|b" is not "a","b").
    /// </summary>
    public static string ComputeHash(
        long seq,
        long atUnixMs,
        string actor,
        string action,
        string subject,
        string? comment,
        string? correlationId,
        string? data,
        string previousHash)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Version);
        WriteField(buffer, seq.ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, atUnixMs.ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, actor);
        WriteField(buffer, action);
        WriteField(buffer, subject);
        WriteField(buffer, comment);
        WriteField(buffer, correlationId);
        WriteField(buffer, data);
        WriteField(buffer, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>The hash an exported event should carry.</summary>
    public static string ComputeHash(AuditEvent e) => ComputeHash(
        e.Seq, e.At.ToUnixTimeMilliseconds(), e.Actor, e.Action, e.Subject, e.Comment, e.RequestId, e.Data, e.PreviousHash);

    private static void WriteField(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            buffer.Write("~"u8);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        var prefix = byteCount.ToString(CultureInfo.InvariantCulture) + ":";
        Encoding.ASCII.GetBytes(prefix, buffer);
        Encoding.UTF8.GetBytes(value, buffer);
    }
}
