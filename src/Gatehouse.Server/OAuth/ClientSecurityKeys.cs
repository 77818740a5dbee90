using System.Security.Cryptography;
using Gatehouse.Storage.OAuth;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// A client's registered public keys as IdentityModel keys, and the decoys an unknown client
/// is checked against: an assertion naming a client that does not exist costs one signature
/// verification, like one naming a real client, so the answer's timing does not tell them apart.
/// The key decides the family (EC: ES256 only, RSA: RS256 or PS256).
/// </summary>
internal static class ClientSecurityKeys
{
    // Fresh each process, private keys discarded at once: nothing can ever verify against them.
    private static readonly Lazy<string> EcDecoy = new(() =>
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Jwk.Serialize(Jwk.FromEcPublic(ec.ExportParameters(false)));
    });

    private static readonly Lazy<string> RsaDecoy = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return Jwk.Serialize(Jwk.FromRsaPublic(rsa.ExportParameters(false)));
    });

    public static SecurityKey From(ClientPublicKey key) => FromJwk(key.Jwk, key.Kid);

    /// <summary>A key of the family <paramref name="alg"/> belongs to, under the kid the assertion names.</summary>
    public static SecurityKey Decoy(string alg, string? kid) => FromJwk(alg == "ES256" ? EcDecoy.Value : RsaDecoy.Value, kid ?? "decoy");

    /// <summary>Whether the key may verify <paramref name="alg"/>: an assertion cannot pick an algorithm its key was not registered for.</summary>
    public static bool Allows(SecurityKey key, string alg) => key is JsonWebKey jwk && (jwk.Kty, alg) switch
    {
        ("EC", "ES256") => true,
        ("RSA", "RS256" or "PS256") => true,
        _ => false,
    };

    private static JsonWebKey FromJwk(string json, string kid) => new(json) { KeyId = kid };
}
