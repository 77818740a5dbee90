using System.Buffers.Text;
using System.Security.Cryptography;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Verifies a client assertion's signature with one registered public key. The key decides the
/// family (EC: ES256 only, RSA: RS256 or PS256), so an assertion cannot pick an algorithm its
/// key was not registered for.
/// </summary>
internal static class ClientKeySignature
{
    public static bool Verifies(ClientPublicKey key, string alg, CompactJws jws)
    {
        var jwk = Jwk.Deserialize(key.Jwk);
        try
        {
            switch (jwk["kty"])
            {
                case "EC" when alg == "ES256" && jws.Signature.Length == 64:
                    using (var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk["x"]), Y = Base64Url.DecodeFromChars(jwk["y"]) } }))
                    {
                        return ec.VerifyData(jws.SigningInput, jws.Signature, HashAlgorithmName.SHA256);
                    }

                case "RSA" when alg is "RS256" or "PS256":
                    using (var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(jwk["n"]), Exponent = Base64Url.DecodeFromChars(jwk["e"]) }))
                    {
                        return rsa.VerifyData(jws.SigningInput, jws.Signature, HashAlgorithmName.SHA256, alg == "RS256" ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
                    }

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
