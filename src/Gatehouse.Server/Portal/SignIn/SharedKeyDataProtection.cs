using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Protects the portal's cookies (session, anti-forgery, flash messages) with AES-256-GCM under
/// keys derived from one root key, which is itself derived from the key-encryption key that
/// every replica already shares (GATEHOUSE_KEY_ENCRYPTION_KEY). So any replica reads a cookie
/// another one wrote, with no key folder to share and nothing stored. Each purpose chain gets
/// its own key (HKDF), as ASP.NET Core Data Protection does; rotating the KEK ends every session.
/// </summary>
internal sealed class SharedKeyDataProtection(byte[] rootKey, string purposes = "") : IDataProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, rootKey, 32, info: Encoding.UTF8.GetBytes("gatehouse-portal-protect:" + purposes));

    public IDataProtector CreateProtector(string purpose) =>
        new SharedKeyDataProtection(rootKey, purposes.Length == 0 ? purpose : purposes + "\0" + purpose);

    public byte[] Protect(byte[] plaintext)
    {
        var output = new byte[1 + NonceSize + plaintext.Length + TagSize];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize, plaintext.Length), output.AsSpan(1 + NonceSize + plaintext.Length));
        return output;
    }

    /// <summary>Throws <see cref="CryptographicException"/> for anything it did not protect, as Data Protection does.</summary>
    public byte[] Unprotect(byte[] protectedData)
    {
        if (protectedData.Length < 1 + NonceSize + TagSize || protectedData[0] != Version)
        {
            throw new CryptographicException("not a Gatehouse portal payload");
        }

        var length = protectedData.Length - 1 - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedData.AsSpan(1, NonceSize), protectedData.AsSpan(1 + NonceSize, length), protectedData.AsSpan(1 + NonceSize + length), plaintext);
        return plaintext;
    }
}
