using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Access;

/// <summary>
/// The hash that links audit events into a chain. Each event's hash covers every stored field
/// and the previous event's hash, so changing, removing or reordering a stored event breaks every
/// link after it; it is an HMAC under the audit key, so someone who can write the database but
/// does not hold the key cannot compute a chain that verifies (ADR 0012).
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The size of an audit key in bytes (HMAC-SHA256).</summary>
    public const int KeySize = 32;

    // The version is the first thing hashed, so an event can never verify under the other encoding.
    private static readonly byte[] Version = "gatehouse-audit-v2"u8.ToArray();

    internal static ReadOnlySpan<byte> VersionBytes => Version;
    private static readonly byte[] LegacyVersion = "gatehouse-audit-v1"u8.ToArray();

    /// <summary>
    /// HMAC-SHA256 under <paramref name="key"/> (lower-case hex) over a length-prefixed encoding of
    /// every stored field: seq, time, actor, action, subject, app, provider app, comment,
    /// correlation id, data and the previous hash. Each field is written as <c>byteCount:utf8</c>
    /// and a null as <c>~</c>, so no two different events encode to the same bytes (an empty
    /// comment is not a missing one, "a|b" is not "a","b"). <see cref="AuditEvent.Hash"/> is ignored.
    /// </summary>
    public static string ComputeHash(ReadOnlySpan<byte> key, AuditEvent e)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"An audit key has {KeySize} bytes.", nameof(key));
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Version);
        WriteField(buffer, e.Seq.ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, e.Actor);
        WriteField(buffer, e.Action);
        WriteField(buffer, e.Subject);
        WriteField(buffer, e.App);
        WriteField(buffer, e.ProviderApp);
        WriteField(buffer, e.Comment);
        WriteField(buffer, e.RequestId);
        WriteField(buffer, e.Data);
        WriteField(buffer, e.PreviousHash);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, buffer.WrittenSpan));
    }

    /// <summary>
    /// The version 1 hash that Gatehouse wrote before the chain was keyed: unkeyed SHA-256 that
    /// left out the app and provider app. Used only to verify an old chain before it is re-chained
    /// under the audit key; nothing verifies against it afterwards.
    /// </summary>
    public static string ComputeLegacyHash(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(LegacyVersion);
        WriteField(buffer, e.Seq.ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, e.Actor);
        WriteField(buffer, e.Action);
        WriteField(buffer, e.Subject);
        WriteField(buffer, e.Comment);
        WriteField(buffer, e.RequestId);
        WriteField(buffer, e.Data);
        WriteField(buffer, e.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    internal static void WriteField(ArrayBufferWriter<byte> buffer, string? value)
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
