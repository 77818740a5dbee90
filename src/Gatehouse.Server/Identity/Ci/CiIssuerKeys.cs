using System.Collections.Concurrent;
using System.Text.Json;
using Gatehouse.Core.Organisations;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.Identity.Ci;

/// <summary>
/// The signing keys of trusted CI issuers, read from each issuer's JWKS (its <c>jwksUri</c>, or
/// the <c>jwks_uri</c> of its <c>/.well-known/openid-configuration</c>) and kept for
/// <see cref="MaxAge"/>. A token naming a <c>kid</c> the cached set lacks has the set read again
/// at once (issuers rotate keys), at most once per <see cref="UnknownKidInterval"/> per issuer so a
/// stream of forged <c>kid</c>s cannot make Gatehouse hammer the issuer. A failed refresh keeps
/// the last keys read.
/// </summary>
internal sealed class CiIssuerKeys(TimeProvider time, ILogger<CiIssuerKeys> logger) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan UnknownKidInterval = TimeSpan.FromSeconds(30);
    private const int MaxDocumentBytes = 256 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaxDocumentBytes };
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    private sealed record Entry(string Source, IReadOnlyList<SecurityKey> Keys, DateTimeOffset ReadAt, DateTimeOffset? UnknownKidReadAt);

    /// <summary>The issuer's keys with <paramref name="kid"/>, or what went wrong reading them (null keys).</summary>
    public async Task<(IReadOnlyList<SecurityKey>? Keys, string? Problem)> KeysAsync(CiIssuer issuer, string kid, CancellationToken ct)
    {
        var key = issuer.Issuer + " " + issuer.JwksUri;
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < MaxAge)
        {
            var found = Matching(entry, kid);
            if (found.Count > 0 || entry.UnknownKidReadAt is { } last && now - last < UnknownKidInterval)
            {
                return (found, null);
            }
        }

        await _gate.WaitAsync(ct);
        try
        {
            // Another caller may have read the set while this one waited.
            if (_entries.TryGetValue(key, out var current) && current != entry && Matching(current, kid) is { Count: > 0 } fresh)
            {
                return (fresh, null);
            }

            var (keys, source, problem) = await ReadAsync(issuer, ct);
            if (keys is null)
            {
                logger.LogWarning("Could not read the keys of CI issuer {Issuer}: {Problem}", issuer.Issuer, problem);
                return entry is not null ? (Matching(entry, kid), null) : (null, problem);
            }

            var unknownKid = entry is not null && now - entry.ReadAt < MaxAge;
            var next = new Entry(source!, keys, now, unknownKid ? now : entry?.UnknownKidReadAt);
            _entries[key] = next;
            return (Matching(next, kid), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static List<SecurityKey> Matching(Entry entry, string kid) => [.. entry.Keys.Where(k => k.KeyId == kid)];

    private async Task<(IReadOnlyList<SecurityKey>? Keys, string? Source, string? Problem)> ReadAsync(CiIssuer issuer, CancellationToken ct)
    {
        try
        {
            var jwksUri = issuer.JwksUri;
            if (jwksUri is null)
            {
                var discovery = issuer.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
                using var document = JsonDocument.Parse(await _http.GetStringAsync(discovery, ct));
                if (!document.RootElement.TryGetProperty("issuer", out var iss) || iss.GetString() != issuer.Issuer)
                {
                    return (null, null, $"the discovery document at {discovery} names another issuer");
                }

                if (!document.RootElement.TryGetProperty("jwks_uri", out var uri) || uri.GetString() is not { } text
                    || !Uri.TryCreate(text, UriKind.Absolute, out var parsed) || !(parsed.Scheme == "https" || parsed.IsLoopback))
                {
                    return (null, null, $"the discovery document at {discovery} has no https `jwks_uri`");
                }

                jwksUri = text;
            }

            var set = new JsonWebKeySet(await _http.GetStringAsync(jwksUri, ct)) { SkipUnresolvedJsonWebKeys = true };
            return ([.. set.GetSigningKeys().Where(k => !string.IsNullOrEmpty(k.KeyId))], jwksUri, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, null, e.Message);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
