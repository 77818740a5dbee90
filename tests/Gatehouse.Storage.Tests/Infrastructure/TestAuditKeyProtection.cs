using System.Security.Cryptography;
using System.Text;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Storage.Tests.Infrastructure;

/// <summary>
/// The store's tests wrap the audit key as the server does in shape (AES-256-GCM, the key id as
/// associated data) under a KEK of their own, so what the database holds is never the key.
/// </summary>
internal sealed class TestAuditKeyProtection(byte[] kek) : IAuditKeyProtection
{
    public static readonly byte[] DefaultKek = SHA256.HashData("storage-tests-kek"u8);

    public TestAuditKeyProtection()
        : this(DefaultKek)
    {
    }

    public string KekId => Convert.ToHexStringLower(SHA256.HashData(kek))[..16];

    public string Wrap(string keyId, ReadOnlySpan<byte> key)
    {
        var output = new byte[12 + key.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(kek, 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(12, key.Length), output.AsSpan(12 + key.Length), Encoding.UTF8.GetBytes(keyId));
        return Convert.ToBase64String(output);
    }

    public byte[] Unwrap(string keyId, string kekId, string wrappedKey)
    {
        if (kekId != KekId)
        {
            throw new InvalidOperationException($"audit key {keyId} was wrapped with KEK {kekId}, not {KekId}");
        }

        var input = Convert.FromBase64String(wrappedKey);
        var key = new byte[input.Length - 28];
        using var aes = new AesGcm(kek, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(12, key.Length), input.AsSpan(12 + key.Length), key, Encoding.UTF8.GetBytes(keyId));
        return key;
    }
}
