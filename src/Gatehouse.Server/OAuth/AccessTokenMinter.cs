using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Writes and signs an RFC 9068 access token (JWT, <c>typ: at+jwt</c>). On the token endpoint's
/// hot path (ADR 0036): the payload is written by a per-thread <see cref="Utf8JsonWriter"/> into a
/// per-thread buffer, base64url-encoded after the key's pre-encoded header, signed into a stack
/// buffer, and the token is built as one string: no JWT object model, no intermediate strings.
/// </summary>
internal static class AccessTokenMinter
{
    // Mint never awaits, so a thread's buffers are never used by two calls at once.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_payload;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    // jti bytes, drawn from the CSPRNG for 64 tokens at a time: one RandomNumberGenerator.Fill
    // costs ~2 µs here (OpenSSL's RAND_bytes, a getpid system call included) however few bytes it
    // gives, 10% of the ES256 signature it sits beside. Used once each, so a jti is as
    // unpredictable as before; it is also public, in the token itself.
    private const int JtiBytes = 16;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomUsed;

    public static string Mint(SigningKey key, string issuer, string subject, string audience, string clientId, string scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var payload = t_payload ??= new ArrayBufferWriter<byte>(1024);
        payload.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(payload);
        json.Reset(payload);
        Span<byte> jtiText = stackalloc byte[Base64Url.GetEncodedLength(JtiBytes)];
        Base64Url.EncodeToUtf8(NextJti(), jtiText);

        json.WriteStartObject();
        json.WriteString("iss"u8, issuer);
        json.WriteString("sub"u8, subject);
        json.WriteString("aud"u8, audience);
        json.WriteString("client_id"u8, clientId);
        json.WriteString("scope"u8, scope);
        json.WriteNumber("iat"u8, now.ToUnixTimeSeconds());
        json.WriteNumber("exp"u8, (now + lifetime).ToUnixTimeSeconds());
        json.WriteString("jti"u8, jtiText);
        json.WriteEndObject();
        json.Flush();

        // header "." payload "." signature, as ASCII in one pooled buffer; the first two parts are the signing input.
        var header = key.EncodedHeaderAscii;
        var rented = ArrayPool<byte>.Shared.Rent(header.Length + 2 + Base64Url.GetEncodedLength(payload.WrittenCount) + Base64Url.GetEncodedLength(SigningKey.MaxSignatureBytes));
        try
        {
            var token = rented.AsSpan();
            header.CopyTo(token);
            var length = header.Length;
            token[length++] = (byte)'.';
            Base64Url.EncodeToUtf8(payload.WrittenSpan, token[length..], out _, out var written);
            length += written;
            Span<byte> signature = stackalloc byte[SigningKey.MaxSignatureBytes];
            var signed = key.Sign(token[..length], signature);
            token[length++] = (byte)'.';
            Base64Url.EncodeToUtf8(signature[..signed], token[length..], out _, out written);
            return Encoding.ASCII.GetString(token[..(length + written)]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ReadOnlySpan<byte> NextJti()
    {
        var random = t_random ??= new byte[64 * JtiBytes];
        if (t_randomUsed == 0 || t_randomUsed == random.Length)
        {
            RandomNumberGenerator.Fill(random);
            t_randomUsed = 0;
        }

        var jti = random.AsSpan(t_randomUsed, JtiBytes);
        t_randomUsed += JtiBytes;
        return jti;
    }
}
