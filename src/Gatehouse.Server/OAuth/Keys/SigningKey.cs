using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>
/// A decrypted signing key. Signing uses a small pool of key objects, because one
/// <see cref="ECDsa"/>/<see cref="RSA"/> instance is not documented as safe for concurrent use.
/// A key leaving the ring is left to the garbage collector: a request may still be signing.
/// </summary>
internal sealed class SigningKey
{
    private readonly byte[] _pkcs8;
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];

    public SigningKey(string kid, string algorithm, long slot, byte[] pkcs8, IReadOnlyDictionary<string, string> publicJwk, DateTimeOffset createdAt, DateTimeOffset activatesAt)
    {
        Kid = kid;
        Algorithm = algorithm;
        Slot = slot;
        _pkcs8 = pkcs8;
        PublicJwk = publicJwk;
        CreatedAt = createdAt;
        ActivatesAt = activatesAt;
        EncodedHeader = Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"{{algorithm}}","typ":"at+jwt","kid":"{{kid}}"}"""));
        EncodedHeaderAscii = System.Text.Encoding.ASCII.GetBytes(EncodedHeader);
    }

    public string Kid { get; }

    public string Algorithm { get; }

    public long Slot { get; }

    public IReadOnlyDictionary<string, string> PublicJwk { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ActivatesAt { get; }

    /// <summary>The base64url JOSE header of tokens this key signs, computed once.</summary>
    public string EncodedHeader { get; }

    /// <summary><see cref="EncodedHeader"/> as ASCII bytes, the start of every signing input.</summary>
    public byte[] EncodedHeaderAscii { get; }

    /// <summary>The most bytes a signature of this key takes (ES256: 64; RS256: the modulus, up to 4096 bits).</summary>
    public const int MaxSignatureBytes = 512;

    /// <summary>Signs into <paramref name="destination"/> (no allocation); the bytes written.</summary>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var key = Rent();
        try
        {
            var signed = key switch
            {
                ECDsa ec => ec.TrySignData(data, destination, HashAlgorithmName.SHA256, out var written) ? written : -1,
                RSA rsa => rsa.TrySignData(data, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written) ? written : -1,
                _ => throw new InvalidOperationException("unknown key type"),
            };
            return signed >= 0 ? signed : throw new InvalidOperationException("the signature does not fit its buffer");
        }
        finally
        {
            _pool.Add(key);
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                // .NET signs in IEEE P1363 (r||s), the form JWS requires (RFC 7518 section 3.4).
                ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
                RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw new InvalidOperationException("unknown key type"),
            };
        }
        finally
        {
            _pool.Add(key);
        }
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                ECDsa ec => ec.VerifyData(data, signature, HashAlgorithmName.SHA256),
                RSA rsa => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        finally
        {
            _pool.Add(key);
        }
    }

    private AsymmetricAlgorithm Rent()
    {
        if (_pool.TryTake(out var key))
        {
            return key;
        }

        AsymmetricAlgorithm created = Algorithm == OAuthOptions.ES256 ? ECDsa.Create() : RSA.Create();
        created.ImportPkcs8PrivateKey(_pkcs8, out _);
        return created;
    }
}
