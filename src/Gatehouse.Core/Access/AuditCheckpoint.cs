using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Gatehouse.Core.Access;

/// <summary>
/// The audit chain's head at one moment, signed, for an operator to keep outside the database.
/// <see cref="Hash"/> pins events 1 to <see cref="Seq"/> exactly, even against someone who can
/// re-compute the chain with the audit key; <see cref="Marks"/> (the first 16 hex digits of the
/// chain hash at every <see cref="Stride"/>-th event) tell which event changed: the exact one while
/// the chain has at most <see cref="AuditCheckpoints.MaxMarks"/> events, otherwise a range of
/// <see cref="Stride"/> events.
/// </summary>
public sealed record AuditCheckpoint(
    long Seq,
    string Hash,
    DateTimeOffset At,
    string KeyId,
    long Stride,
    IReadOnlyList<string> Marks,
    string Signature);

/// <summary>Making and checking <see cref="AuditCheckpoint"/>s.</summary>
public static class AuditCheckpoints
{
    /// <summary>At most this many marks, so a checkpoint stays small (16 KB of marks) however long the chain.</summary>
    public const int MaxMarks = 1024;

    /// <summary>Hex digits of a chain hash kept per mark: 64 bits, too many to forge a match for a chosen event.</summary>
    public const int MarkLength = 16;

    private static readonly byte[] Version = "gatehouse-audit-checkpoint-v1"u8.ToArray();

    /// <summary>The distance between marks for a chain of <paramref name="seq"/> events.</summary>
    public static long StrideFor(long seq) => Math.Max(1, (seq + MaxMarks - 1) / MaxMarks);

    public static string Mark(string hash) => hash[..MarkLength];

    /// <summary>
    /// The key checkpoints are signed with: derived from the audit key (HKDF-SHA256), so it lives
    /// exactly as long as the chain it vouches for and survives rotations of the key-encryption key.
    /// </summary>
    public static byte[] SigningKey(ReadOnlySpan<byte> auditKey)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, auditKey, key, salt: [], info: "gatehouse-audit-checkpoint"u8);
        return key;
    }

    /// <summary>The base64url HMAC-SHA256 of the checkpoint's fields (<see cref="AuditCheckpoint.Signature"/> ignored).</summary>
    public static string Sign(ReadOnlySpan<byte> signingKey, AuditCheckpoint checkpoint) =>
        Base64Url.EncodeToString(Mac(signingKey, checkpoint));

    /// <summary>True when <see cref="AuditCheckpoint.Signature"/> was made with this key over exactly these fields.</summary>
    public static bool HasValidSignature(ReadOnlySpan<byte> signingKey, AuditCheckpoint checkpoint)
    {
        var expected = Mac(signingKey, checkpoint);
        var presented = new byte[Base64Url.GetMaxDecodedLength(checkpoint.Signature.Length)];
        return Base64Url.DecodeFromChars(checkpoint.Signature, presented, out _, out var written) == OperationStatus.Done
            && CryptographicOperations.FixedTimeEquals(expected, presented.AsSpan(0, written));
    }

    private static byte[] Mac(ReadOnlySpan<byte> signingKey, AuditCheckpoint c)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (c.Marks.Count * 20));
        buffer.Write(Version);
        AuditChain.WriteField(buffer, c.Seq.ToString(CultureInfo.InvariantCulture));
        AuditChain.WriteField(buffer, c.Hash);
        AuditChain.WriteField(buffer, c.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        AuditChain.WriteField(buffer, c.KeyId);
        AuditChain.WriteField(buffer, c.Stride.ToString(CultureInfo.InvariantCulture));
        AuditChain.WriteField(buffer, c.Marks.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var mark in c.Marks)
        {
            AuditChain.WriteField(buffer, mark);
        }

        return HMACSHA256.HashData(signingKey, buffer.WrittenSpan);
    }
}
