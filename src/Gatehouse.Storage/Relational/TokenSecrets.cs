using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Secrets;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Token ids and secrets. A secret has Gatehouse's own format (<see cref="SecretFormat"/>: gthp_
/// personal, gthd_ deploy, 256 random bits, a CRC-32 checksum) so secret scanners can spot a leaked
/// one and the store can refuse a malformed one without a query. Only its SHA-256 is stored: a fast
/// hash is right for 256-bit random secrets, which cannot be guessed, and keeps each lookup one
/// hash and one indexed query. Tokens issued before the format (ghp_, ghd_) are hashed the same way.
/// </summary>
internal static class TokenSecrets
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string NewSecret(TokenKind kind) => SecretFormat.New(SecretKindOf(kind));

    /// <summary>False for a secret that cannot be a personal or deploy token: it needs no lookup.</summary>
    public static bool MayBeToken(string secret) =>
        SecretFormat.IsWellFormed(secret, SecretKind.PersonalToken) || SecretFormat.IsWellFormed(secret, SecretKind.DeployToken);

    public static string NewId() => "tok_" + RandomNumberGenerator.GetString(Base32, 12);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static SecretKind SecretKindOf(TokenKind kind) => kind == TokenKind.Deploy ? SecretKind.DeployToken : SecretKind.PersonalToken;
}
