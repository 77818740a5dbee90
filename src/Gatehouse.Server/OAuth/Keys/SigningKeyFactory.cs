using System.Security.Cryptography;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>Generates signing keys (stored encrypted) and loads them back.</summary>
internal static class SigningKeyFactory
{
    public static Storage.OAuth.SigningKeyRecord Generate(string algorithm, long slot, DateTimeOffset createdAt, DateTimeOffset activatesAt, KeyEncryption encryption)
    {
        byte[] pkcs8;
        Dictionary<string, string> jwk;
        if (algorithm == OAuthOptions.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
            jwk = Jwk.FromEcPublic(ec.ExportParameters(false));
        }
        else
        {
            using var rsa = RSA.Create(2048);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
            jwk = Jwk.FromRsaPublic(rsa.ExportParameters(false));
        }

        try
        {
            var kid = Jwk.Thumbprint(jwk);
            return new Storage.OAuth.SigningKeyRecord(kid, algorithm, slot, Jwk.Serialize(jwk), encryption.Protect(kid, pkcs8), encryption.KekId, createdAt, activatesAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public static SigningKey Load(Storage.OAuth.SigningKeyRecord record, KeyEncryption encryption)
    {
        var pkcs8 = encryption.Unprotect(record.Kid, record.KekId, record.ProtectedPrivateKey);
        var jwk = Jwk.Deserialize(record.PublicJwk);
        jwk["kid"] = record.Kid;
        jwk["use"] = "sig";
        jwk["alg"] = record.Algorithm;
        return new SigningKey(record.Kid, record.Algorithm, record.Slot, pkcs8, jwk, record.CreatedAt, record.ActivatesAt);
    }
}
