using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.OAuth;

/// <summary>Writes and signs an RFC 9068 access token (JWT, <c>typ: at+jwt</c>).</summary>
internal static class AccessTokenMinter
{
    public static string Mint(SigningKey key, string issuer, string subject, string audience, string clientId, string scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var payload = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", issuer);
            json.WriteString("sub", subject);
            json.WriteString("aud", audience);
            json.WriteString("client_id", clientId);
            json.WriteString("scope", scope);
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            json.WriteString("jti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            json.WriteEndObject();
        }

        var signingInput = key.EncodedHeader + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
