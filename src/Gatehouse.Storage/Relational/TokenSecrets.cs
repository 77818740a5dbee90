using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Token ids and secrets. A secret is 32 random bytes (base64url, 43 characters) behind a prefix
/// that says what it is (ghp_ personal, ghd_ deploy) so secret scanners can spot a leaked one.
/// Only its SHA-256 is stored: a fast hash is right for 256-bit random secrets, which cannot be
/// guessed, and keeps each lookup one hash and one indexed query.
/// </summary>
internal static class TokenSecrets
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string NewSecret(TokenKind kind) =>
        (kind == TokenKind.Deploy ? "ghd_" : "ghp_") + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "tok_" + RandomNumberGenerator.GetString(Base32, 12);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
