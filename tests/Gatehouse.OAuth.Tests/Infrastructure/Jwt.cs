using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.OAuth.Tests.Infrastructure;

/// <summary>Builds JWTs by hand, so tests can make the malformed and hostile ones a library would refuse to.</summary>
internal static class Jwt
{
    public static string Encode(object header, object payload, Func<byte[], byte[]> sign)
    {
        var input = Part(header) + "." + Part(payload);
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>Header and payload as JSON text, exactly as given: the only way to send a repeated member.</summary>
    public static string EncodeRaw(string header, string payload, Func<byte[], byte[]> sign)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(object header, object payload) => Part(header) + "." + Part(payload) + ".";

    public static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    public static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    public static JsonObject Payload(string token) => Decode(token.Split('.')[1]);

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>An RFC 7523 client assertion signed with an EC P-256 key.</summary>
    public static string Assertion(ECDsa key, string clientId, string audience, long? exp = null, string? jti = null, string alg = "ES256") =>
        Encode(new { alg, typ = "JWT" }, new Dictionary<string, object?>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = audience,
            ["exp"] = exp ?? Now + 60,
            ["iat"] = Now,
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
        }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value), data => key.SignData(data, HashAlgorithmName.SHA256));

    public static object PublicJwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new { kty = "EC", crv = "P-256", x = Base64Url.EncodeToString(p.Q.X), y = Base64Url.EncodeToString(p.Q.Y) };
    }

    private static JsonObject Decode(string part) => JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();
}
