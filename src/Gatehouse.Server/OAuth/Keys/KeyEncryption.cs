using System.Security.Cryptography;
using System.Text;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>
/// Encrypts signing keys at rest with AES-256-GCM under the key-encryption key (KEK). The kid is
/// bound as associated data, so a stored key cannot be moved to another row; the KEK id stored
/// beside each key turns "wrong KEK" into a clear message instead of a decryption failure.
/// </summary>
internal sealed class KeyEncryption
{
    public const string GeneratedFileName = "key-encryption.key";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public KeyEncryption(byte[] key)
    {
        _key = key;
        KekId = Convert.ToHexStringLower(SHA256.HashData([.. "gatehouse-kek-id:"u8, .. key]))[..16];
    }

    /// <summary>A public fingerprint of the KEK (not the key), stored with each encrypted key.</summary>
    public string KekId { get; }

    public string Protect(string kid, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Aad(kid));
        return Convert.ToBase64String(output);
    }

    public byte[] Unprotect(string kid, string kekId, string protectedKey)
    {
        if (kekId != KekId)
        {
            throw new ConfigurationProblemException(
                $"signing key {kid} was encrypted with key-encryption key {kekId}, but the configured one is {KekId}: set {OAuthOptionsLoader.KeyEncryptionKeyVariable} to the key this database was created with.");
        }

        var input = Convert.FromBase64String(protectedKey);
        var length = input.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plaintext, Aad(kid));
        return plaintext;
    }

    /// <summary>
    /// A 256-bit key for another use of the same secret (HKDF-SHA256, the use as info), so every
    /// replica that shares the KEK shares it too; the portal protects its cookies with one.
    /// </summary>
    public byte[] DeriveKey(string use) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: Encoding.UTF8.GetBytes("gatehouse-derived-key:" + use));

    private static byte[] Aad(string kid) => Encoding.UTF8.GetBytes("gatehouse-signing-key:" + kid);

    /// <summary>
    /// The configured KEK; otherwise, for SQLite only, one generated once into the data folder
    /// with mode 0600. PostgreSQL serves several replicas, which must share one KEK: required.
    /// </summary>
    public static KeyEncryption Resolve(OAuthOptions options, GatehouseOptions server)
    {
        if (options.KeyEncryptionKey is { } configured)
        {
            return new KeyEncryption(configured);
        }

        if (!string.IsNullOrEmpty(server.DatabaseConnectionString))
        {
            throw new ConfigurationProblemException(
                $"{OAuthOptionsLoader.KeyEncryptionKeyVariable} (or _FILE) is required with PostgreSQL: every replica must decrypt the same signing keys. Make one with `openssl rand -base64 32` and keep it in your secret store.");
        }

        Gatehouse.Storage.PrivateFiles.CreateFolder(server.DataDirectory);
        var path = Path.Combine(server.DataDirectory, GeneratedFileName);
        try
        {
            var options0600 = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options0600.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, options0600);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created earlier (or by a concurrent start): read it below.
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ConfigurationProblemException($"{path} is readable by other users: run `chmod 600 {path}`.");
        }

        var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return bytes.Length == 32
            ? new KeyEncryption(bytes)
            : throw new ConfigurationProblemException($"{path} does not hold a 32-byte base64 key.");
    }
}
