using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Server.Checks;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Identity;

/// <summary>The SHA-256 of a bearer secret, as a value: the key of the token cache, never the secret itself.</summary>
internal readonly record struct TokenDigest(UInt128 High, UInt128 Low)
{
    /// <summary>The handler refuses secrets over 512 characters, so the UTF-8 stays on the stack.</summary>
    public const int MaxSecretBytes = 2048;

    public static TokenDigest Of(ReadOnlySpan<char> secret, Span<byte> hash)
    {
        Span<byte> utf8 = stackalloc byte[MaxSecretBytes];
        var length = Encoding.UTF8.GetByteCount(secret) <= MaxSecretBytes ? Encoding.UTF8.GetBytes(secret, utf8) : throw new ArgumentException("secret too long", nameof(secret));
        SHA256.HashData(utf8[..length], hash);
        utf8[..length].Clear();
        return new TokenDigest(MemoryMarshal.Read<UInt128>(hash), MemoryMarshal.Read<UInt128>(hash[16..]));
    }
}

/// <summary>
/// Authenticates a bearer secret that is not a JWT: the bootstrap token (compared in constant
/// time) or a personal or deploy token found through the token cache. One SHA-256 per request;
/// the principal is built once per token and change version (ADR 0034). Shared by
/// <see cref="BearerTokenHandler"/> and the hot paths, so both accept exactly the same secrets.
/// </summary>
internal sealed class BearerSecrets(DecisionCache cache, GatehouseOptions options, Usage.UsageRecorder usage)
{
    public const int MaxSecretLength = 512;

    private readonly byte[]? _bootstrapHash = options.BootstrapToken is { } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;
    private readonly GatehousePrincipal _bootstrap = (GatehousePrincipal)GatehouseClaims.Principal(new Actor(ActorKind.Bootstrap, "bootstrap"), BearerTokenHandler.SchemeName);

    /// <summary>
    /// The secret of an <c>Authorization: Bearer</c> header that is not a JWT, or null (absent,
    /// another scheme, a JWT, empty or too long). A slice of the header, not a copy: a request
    /// whose token is cached never makes a string of its secret.
    /// </summary>
    public static ReadOnlyMemory<char>? Secret(string? header, out bool malformed)
    {
        malformed = false;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var secret = header.AsMemory("Bearer ".Length).Trim();
        if (secret.Length is 0 or > MaxSecretLength)
        {
            malformed = true;
            return null;
        }

        return secret;
    }

    /// <summary>The principal of a live token or of the bootstrap token; null for an unknown, expired or revoked secret.</summary>
    public ValueTask<GatehousePrincipal?> AuthenticateAsync(ReadOnlyMemory<char> secret, HttpContext http)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var digest = TokenDigest.Of(secret.Span, hash);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(_bootstrapHash, hash))
        {
            return new(_bootstrap);
        }

        var version = cache.VersionAsync(http);
        if (version.IsCompletedSuccessfully)
        {
            var found = cache.AuthenticateAsync(digest, secret, version.Result, http.RequestAborted);
            return found.IsCompletedSuccessfully ? new(Used(found.Result)) : AwaitTokenAsync(found);
        }

        return AwaitVersionAsync(digest, secret, version, http);
    }

    private async ValueTask<GatehousePrincipal?> AwaitVersionAsync(TokenDigest digest, ReadOnlyMemory<char> secret, ValueTask<long> version, HttpContext http) =>
        Used(await cache.AuthenticateAsync(digest, secret, await version, http.RequestAborted));

    private async ValueTask<GatehousePrincipal?> AwaitTokenAsync(ValueTask<DecisionCache.CachedToken?> found) => Used(await found);

    private GatehousePrincipal? Used(DecisionCache.CachedToken? token)
    {
        if (token is null)
        {
            return null;
        }

        usage.TokenAuthenticated(token.Token.Id);
        return token.Principal;
    }
}
