using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Secrets;

/// <summary>
/// The format of every secret Gatehouse issues (ADR 0015, docs/secrets.md): a prefix of our own
/// that says what the secret is (<c>gthp_</c>, <c>gthd_</c>, <c>gthc_</c>, <c>gthb_</c>), 43 random
/// base62 characters (256 bits), and 6 base62 characters of CRC-32 over everything before them.
/// The checksum lets a secret scanner confirm a match offline and lets the server refuse a
/// mistyped or made-up secret before any lookup. Secrets issued before this format
/// (<c>ghp_</c>, <c>ghd_</c>, <c>ghs_</c> with 43 base64url characters) are still accepted.
/// </summary>
public static class SecretFormat
{
    /// <summary>The base62 digits, in the order their values run.</summary>
    public const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Random characters after the prefix: 43 base62 characters carry 256 bits.</summary>
    public const int BodyLength = 43;

    /// <summary>CRC-32 as base62: 62^6 is more than 2^32.</summary>
    public const int ChecksumLength = 6;

    /// <summary>Length of every secret of this format: a 5-character prefix, the body, the checksum.</summary>
    public const int Length = 5 + BodyLength + ChecksumLength;

    private const int LegacyBodyLength = 43;

    private static readonly SearchValues<char> Base62Chars = SearchValues.Create(Base62);
    private static readonly SearchValues<char> Base64UrlChars = SearchValues.Create(Base62 + "-_");

    /// <summary>The prefix that starts a secret of <paramref name="kind"/>.</summary>
    public static string Prefix(SecretKind kind) => kind switch
    {
        SecretKind.PersonalToken => "gthp_",
        SecretKind.DeployToken => "gthd_",
        SecretKind.ClientSecret => "gthc_",
        SecretKind.BootstrapToken => "gthb_",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A new secret of <paramref name="kind"/> from the system's cryptographic random number generator.</summary>
    public static string New(SecretKind kind)
    {
        var withoutChecksum = Prefix(kind) + RandomNumberGenerator.GetString(Base62, BodyLength);
        return withoutChecksum + Checksum(withoutChecksum);
    }

    /// <summary>
    /// True when <paramref name="secret"/> could be a secret of <paramref name="kind"/>: this
    /// format with a matching checksum, or the format issued before it. Says nothing about
    /// whether the secret exists; it only spares the lookup for one that cannot.
    /// </summary>
    public static bool IsWellFormed(string secret, SecretKind kind)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Prefix(kind);
        if (secret.Length == Length && secret.StartsWith(prefix, StringComparison.Ordinal))
        {
            var body = secret.AsSpan(prefix.Length);
            return IsBase62(body) && Checksum(secret.AsSpan(0, Length - ChecksumLength)).AsSpan().SequenceEqual(body[BodyLength..]);
        }

        return LegacyPrefix(kind) is { } legacy
            && secret.Length == legacy.Length + LegacyBodyLength
            && secret.StartsWith(legacy, StringComparison.Ordinal)
            && IsBase64Url(secret.AsSpan(legacy.Length));
    }

    /// <summary>CRC-32 (the zlib polynomial) of the ASCII text, as 6 base62 digits, most significant first.</summary>
    internal static string Checksum(ReadOnlySpan<char> text)
    {
        Span<byte> ascii = stackalloc byte[text.Length];
        var count = Encoding.ASCII.GetBytes(text, ascii);
        var crc = Crc32.HashToUInt32(ascii[..count]);
        Span<char> digits = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            digits[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(digits);
    }

    // What this kind was issued as before this format; a bootstrap token never had a fixed form.
    private static string? LegacyPrefix(SecretKind kind) => kind switch
    {
        SecretKind.PersonalToken => "ghp_",
        SecretKind.DeployToken => "ghd_",
        SecretKind.ClientSecret => "ghs_",
        _ => null,
    };

    private static bool IsBase62(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Base62Chars);

    private static bool IsBase64Url(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Base64UrlChars);
}
