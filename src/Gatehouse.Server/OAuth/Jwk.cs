using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// The JSON Web Keys Gatehouse reads and writes: EC P-256 and RSA public keys, with RFC 7638
/// thumbprints as kids. Private members are never accepted from a client.
/// </summary>
internal static class Jwk
{
    public static Dictionary<string, string> FromEcPublic(ECParameters p) => new()
    {
        ["kty"] = "EC",
        ["crv"] = "P-256",
        ["x"] = Base64Url.EncodeToString(p.Q.X),
        ["y"] = Base64Url.EncodeToString(p.Q.Y),
    };

    public static Dictionary<string, string> FromRsaPublic(RSAParameters p) => new()
    {
        ["kty"] = "RSA",
        ["n"] = Base64Url.EncodeToString(p.Modulus),
        ["e"] = Base64Url.EncodeToString(p.Exponent),
    };

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.</summary>
    public static string Thumbprint(IReadOnlyDictionary<string, string> jwk)
    {
        var canonical = jwk["kty"] switch
        {
            "EC" => $$"""{"crv":"{{jwk["crv"]}}","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""",
            "RSA" => $$"""{"e":"{{jwk["e"]}}","kty":"RSA","n":"{{jwk["n"]}}"}""",
            _ => throw new ArgumentException("unsupported key type"),
        };
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string Serialize(IReadOnlyDictionary<string, string> jwk) => JsonSerializer.Serialize(jwk);

    public static Dictionary<string, string> Deserialize(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? throw new FormatException("empty JWK");

    /// <summary>
    /// Reads a client's public key: EC P-256 or RSA of at least 2048 bits, no private members.
    /// Returns the normalised JWK (required members only) or an error a person can act on.
    /// </summary>
    public static (Dictionary<string, string>? Jwk, string? Error) ParseClientPublicKey(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, "`jwk` must be a JSON object (a public JSON Web Key).");
        }

        foreach (var privateMember in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
        {
            if (element.TryGetProperty(privateMember, out _))
            {
                return (null, $"`jwk` contains the private member `{privateMember}`: register only the public key, and keep the private key with the client.");
            }
        }

        string? Member(string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        try
        {
            switch (Member("kty"))
            {
                case "EC" when Member("crv") == "P-256" && Member("x") is { } x && Member("y") is { } y:
                    using (var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) } }))
                    {
                        return (FromEcPublic(ec.ExportParameters(false)), null);
                    }

                case "RSA" when Member("n") is { } n && Member("e") is { } e:
                    using (var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(n), Exponent = Base64Url.DecodeFromChars(e) }))
                    {
                        return rsa.KeySize < 2048
                            ? (null, $"RSA keys must have at least 2048 bits; this one has {rsa.KeySize}.")
                            : (FromRsaPublic(rsa.ExportParameters(false)), null);
                    }

                default:
                    return (null, "`jwk` must be an EC key on P-256 (kty EC, crv P-256, x, y) or an RSA key (kty RSA, n, e).");
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return (null, "`jwk` is not a valid public key: " + e.Message);
        }
    }
}
