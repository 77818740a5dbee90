using System.Security.Cryptography;
using System.Text;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.KeyProtection;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>
/// Wraps key material at rest with AES-256-GCM under the key-encryption key (KEK): the signing
/// keys, the Data Protection key ring (<see cref="KekWrappedColumns"/> lists every wrapped
/// column). What a value is and which row it belongs to is bound as associated data, so a stored
/// value cannot be moved to another row; the KEK id stored beside each value turns "wrong KEK"
/// into a clear message instead of a decryption failure. Besides the current KEK, which wraps,
/// it may hold previous ones (during a rotation), which only unwrap.
/// </summary>
internal sealed class KeyEncryption
{
    public const string GeneratedFileName = "key-encryption.key";

    /// <summary>The purpose of a signing key's wrapping; the kid is the id.</summary>
    public const string SigningKeyPurpose = "signing-key";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public KeyEncryption(byte[] key, IEnumerable<byte[]>? previous = null)
    {
        _key = key;
        KekId = IdOf(key);
        _keys[KekId] = key;
        foreach (var old in previous ?? [])
        {
            _keys.TryAdd(IdOf(old), old);
        }

        PreviousKekIds = [.. _keys.Keys.Where(id => id != KekId)];
    }

    /// <summary>A public fingerprint of the current KEK (not the key), stored with each wrapped value.</summary>
    public string KekId { get; }

    /// <summary>The fingerprints of the previous KEKs this instance may still unwrap with.</summary>
    public IReadOnlyList<string> PreviousKekIds { get; }

    /// <summary>True when a value wrapped under <paramref name="kekId"/> can be unwrapped here.</summary>
    public bool Knows(string kekId) => _keys.ContainsKey(kekId);

    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData([.. "gatehouse-kek-id:"u8, .. key]))[..16];

    public string Protect(string kid, ReadOnlySpan<byte> plaintext) => Wrap(SigningKeyPurpose, kid, plaintext);

    public byte[] Unprotect(string kid, string kekId, string protectedKey) => Unwrap(SigningKeyPurpose, kid, kekId, protectedKey);

    /// <summary>Wraps <paramref name="plaintext"/> under the current KEK, bound to its purpose and row id.</summary>
    public string Wrap(string purpose, string id, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Aad(purpose, id));
        return Convert.ToBase64String(output);
    }

    /// <summary>
    /// Unwraps a value wrapped under the current or a previous KEK. Throws a
    /// <see cref="StoredKeyException"/> naming the KEK id when this instance was not
    /// given that KEK, and when the value does not decrypt (it was changed, or moved from another row).
    /// </summary>
    public byte[] Unwrap(string purpose, string id, string kekId, string wrapped)
    {
        if (!_keys.TryGetValue(kekId, out var key))
        {
            throw new StoredKeyException(KeyProtectionErrors.UnknownKek,
                $"{What(purpose, id)} is wrapped under key-encryption key {kekId}, but this server was given {Describe()}: set {OAuthOptionsLoader.KeyEncryptionKeyVariable} to the key this database was created with (or, during a rotation, list it in {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable}).");
        }

        var input = new byte[wrapped.Length];
        if (!Convert.TryFromBase64String(wrapped, input, out var length) || length < NonceSize + TagSize)
        {
            throw DoesNotDecrypt(purpose, id, kekId);
        }

        var plaintext = new byte[length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, plaintext.Length), input.AsSpan(NonceSize + plaintext.Length, TagSize), plaintext, Aad(purpose, id));
            return plaintext;
        }
        catch (CryptographicException)
        {
            throw DoesNotDecrypt(purpose, id, kekId);
        }
    }

    private static StoredKeyException DoesNotDecrypt(string purpose, string id, string kekId) => new(KeyProtectionErrors.DoesNotDecrypt,
        $"{What(purpose, id)} does not decrypt under key-encryption key {kekId}: the stored value was changed or copied from another row. Restore it from a backup.");

    /// <summary>The KEK ids this instance holds, for messages: the current one, then any previous ones.</summary>
    public string Describe() => PreviousKekIds.Count == 0
        ? $"key-encryption key {KekId}"
        : $"key-encryption key {KekId} and the previous {string.Join(", ", PreviousKekIds)}";

    private static string What(string purpose, string id) => id.Length == 0 ? $"a {purpose.Replace('-', ' ')}" : $"the {purpose.Replace('-', ' ')} {id}";

    private static byte[] Aad(string purpose, string id) => Encoding.UTF8.GetBytes($"gatehouse-{purpose}:{id}");

    /// <summary>
    /// The configured KEK; otherwise, for SQLite only, one generated once into the data folder
    /// with mode 0600. PostgreSQL serves several replicas, which must share one KEK: required.
    /// Previous KEKs (<see cref="OAuthOptions.PreviousKeyEncryptionKeys"/>) come along either way.
    /// </summary>
    public static KeyEncryption Resolve(OAuthOptions options, GatehouseOptions server)
    {
        if (options.KeyEncryptionKey is { } configured)
        {
            return new KeyEncryption(configured, options.PreviousKeyEncryptionKeys);
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
            ? new KeyEncryption(bytes, options.PreviousKeyEncryptionKeys)
            : throw new ConfigurationProblemException($"{path} does not hold a 32-byte base64 key.");
    }
}
