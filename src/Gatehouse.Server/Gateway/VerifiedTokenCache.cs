using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Gatehouse.Server.OAuth;

namespace Gatehouse.Server.Gateway;

/// <summary>
/// Access tokens that verified, by a SHA-256 digest of the token (never the token itself), until
/// they expire: a caller reuses its token for minutes, and the signature check costs more than
/// everything else forward-auth does. Bounded by entries; emptied when full.
/// </summary>
internal sealed class VerifiedTokenCache
{
    public const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<TokenDigest, VerifiedEntry> _entries = new();
    private int _count;

    public static TokenDigest Digest(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(token), hash);
        return MemoryMarshal.Read<TokenDigest>(hash);
    }

    public VerifiedEntry? Get(in TokenDigest digest, long now)
    {
        if (!_entries.TryGetValue(digest, out var entry))
        {
            return null;
        }

        if (entry.Token.ExpiresAt > now)
        {
            return entry;
        }

        if (_entries.TryRemove(digest, out _))
        {
            Interlocked.Decrement(ref _count);
        }

        return null;
    }

    public VerifiedEntry Add(in TokenDigest digest, VerifiedAccessToken token)
    {
        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        var entry = new VerifiedEntry(token);
        if (!_entries.TryAdd(digest, entry))
        {
            Interlocked.Decrement(ref _count);
        }

        return entry;
    }
}

/// <summary>A SHA-256 digest as four words: a key compared and hashed without allocation.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct TokenDigest(ulong A, ulong B, ulong C, ulong D);

/// <summary>A verified token and, per snapshot, the header naming its scopes that are still granted.</summary>
internal sealed class VerifiedEntry(VerifiedAccessToken token)
{
    private GrantedHeader? _granted;

    public VerifiedAccessToken Token { get; } = token;

    /// <summary>The client, as the access log names it; made once per token rather than per request.</summary>
    public Observability.AccessLogActor Actor { get; } = new("client:" + token.ClientId);

    public string GrantedScopes(GatewaySnapshot snapshot, DateTimeOffset now)
    {
        var cached = _granted;
        if (cached is not null && ReferenceEquals(cached.Snapshot, snapshot) && !(now >= snapshot.FirstGrantEnd))
        {
            return cached.Value;
        }

        return Granted(snapshot, now);
    }

    // Apart from the cached path: a lambda capturing the arguments makes its closure on every call of the method that holds it.
    private string Granted(GatewaySnapshot snapshot, DateTimeOffset now)
    {
        var granted = Token.Scopes.Where(s => snapshot.IsGranted(Token.Subject, Token.Audience.App, Token.Audience.Environment, s, now));
        var value = string.Join(' ', granted);
        _granted = new GrantedHeader(snapshot, value);
        return value;
    }

    private sealed record GrantedHeader(GatewaySnapshot Snapshot, string Value);
}
